package dev.netportal.project;

import java.util.Locale;

/** What a project's quota counts (N4); each has a usage counter and a quota column in the project's row. */
public enum Counter {
    NETWORKS, MACHINES, FIREWALLS;

    /** The word in messages and the column suffix ({@code used_networks}, {@code quota_networks}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
