package dev.netportal.identity;

import java.util.regex.Pattern;

/** A project's id: a lower-case slug such as {@code tenant-a}. */
public record ProjectId(String value) implements Comparable<ProjectId> {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public ProjectId {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw new IllegalArgumentException("not a project id (lower-case letters, digits and '-', at most 63): " + value);
        }
    }

    /** True when {@code text} is a well-formed project id. */
    public static boolean isValid(String text) {
        return text != null && SLUG.matcher(text).matches();
    }

    @Override
    public int compareTo(ProjectId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
