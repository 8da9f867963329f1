package dev.netportal.common;

/**
 * An expected refusal by a domain rule. Each has a kind (how the edge reports it: 404, 409, ...) and a stable
 * code, the rule id or error name that API problem types and UI messages carry (e.g. {@code S4-unshare-forbidden}).
 * The message is a sentence for the user: which object, which value, which rule.
 */
public class DomainException extends RuntimeException {

    /** How a refusal is reported at the edge. */
    public enum Kind {
        /** Unknown, or not visible to the caller (another project's object). */
        NOT_FOUND,
        /** Visible, but the caller's role is too low. */
        FORBIDDEN,
        /** Conflicts with the current state (taken, exhausted, pending, concurrent change). */
        CONFLICT,
        /** A value is malformed or out of range. */
        INVALID,
        /** A product rule refuses the request. */
        RULE
    }

    private final Kind kind;
    private final String code;

    public DomainException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, "not-found", what + " does not exist or is not visible to you.");
    }

    public static DomainException invalid(String code, String message) {
        return new DomainException(Kind.INVALID, code, message);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, "forbidden", message);
    }
}
