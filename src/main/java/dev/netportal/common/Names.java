package dev.netportal.common;

/** Display names of projects, networks and the like: 1 to 100 characters after trimming. */
public final class Names {

    private Names() {
    }

    /** What carries a display name; each has its two refusals in the catalogue. */
    public enum Named {
        NETWORK(Refusal.NETWORK_NAME, Refusal.NETWORK_NAME_CONTROL),
        MACHINE(Refusal.MACHINE_NAME, Refusal.MACHINE_NAME_CONTROL),
        FIREWALL(Refusal.FIREWALL_NAME, Refusal.FIREWALL_NAME_CONTROL),
        PROJECT(Refusal.PROJECT_NAME, Refusal.PROJECT_NAME_CONTROL);

        private final Refusal length;
        private final Refusal control;

        Named(Refusal length, Refusal control) {
            this.length = length;
            this.control = control;
        }
    }

    /** The trimmed name, or the refusal of the catalogue for a missing, too long or control-character name. */
    public static String check(Named what, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw what.length.with();
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw what.control.with();
        }
        return trimmed;
    }
}
