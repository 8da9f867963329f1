package dev.netportal.common;

/** Display names of projects, networks and the like: 1 to 100 characters after trimming. */
public final class Names {

    private Names() {
    }

    /** The trimmed name, or an invalid-value refusal coded {@code <what>-name} ("A network needs a name ..."). */
    public static String check(String what, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw DomainException.invalid(what + "-name", "A " + what + " needs a name of 1 to 100 characters.");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid(what + "-name", "A " + what + "'s name cannot hold line breaks or other control characters.");
        }
        return trimmed;
    }
}
