package dev.netportal.common;

/**
 * An expected refusal by a domain rule: one entry of the {@link Refusal} catalogue (kind, stable code, rule, field)
 * with its message, a sentence for the user: which object, which value, which rule.
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

    private final Refusal refusal;

    DomainException(Refusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    /** Which refusal of the catalogue this is. */
    public Refusal refusal() {
        return refusal;
    }

    public Kind kind() {
        return refusal.kind();
    }

    public String code() {
        return refusal.code();
    }

    /** The request field the refusal is about, if one (the UI marks it). */
    public java.util.Optional<String> field() {
        return refusal.field();
    }

    public static DomainException notFound(String what) {
        return Refusal.NOT_FOUND.with(what);
    }

    public static DomainException forbidden(String message) {
        return Refusal.FORBIDDEN.with(message);
    }
}
