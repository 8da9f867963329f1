package dev.netportal.api;

import dev.netportal.common.DomainException;
import java.util.List;

/** A page of a list, as every list endpoint answers: {@code {items, page, size, total}} (size 1-500, default 50). */
record Page<T>(List<T> items, int page, int size, long total) {

    static <T> Page<T> of(List<T> all, Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0 || s < 1 || s > 500) {
            throw DomainException.invalid("paging", "page must be 0 or more and size 1 to 500; got page " + p + ", size " + s + ".");
        }
        int from = (int) Math.min((long) p * s, all.size());
        return new Page<>(all.subList(from, Math.min(from + s, all.size())), p, s, all.size());
    }
}
