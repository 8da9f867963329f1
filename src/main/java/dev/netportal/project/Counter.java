package dev.netportal.project;

import dev.netportal.common.Refusal;
import java.util.Locale;

/** What a project's quota counts (N4); each has a usage counter and a quota column in the project's row. */
public enum Counter {
    NETWORKS, MACHINES, FIREWALLS;

    /** N4: the quota of this counter is used up. */
    public Refusal refusal() {
        return switch (this) {
            case NETWORKS -> Refusal.N4_QUOTA_NETWORKS;
            case MACHINES -> Refusal.N4_QUOTA_MACHINES;
            case FIREWALLS -> Refusal.N4_QUOTA_FIREWALLS;
        };
    }

    /** The word in messages and the column suffix ({@code used_networks}, {@code quota_networks}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
