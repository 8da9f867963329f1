package dev.netportal.common;

import java.util.List;

/** One stretch of a longer list, read from the database as such, and how long the whole list is. */
public record Slice<T>(List<T> items, long total) {

    /** Checks paging arguments as the API and UI pass them: offset 0 or more, limit 1 to 500. */
    public static void check(long offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 500) {
            throw DomainException.invalid("paging", "page must be 0 or more and size 1 to 500.");
        }
    }
}
