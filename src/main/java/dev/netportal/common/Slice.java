package dev.netportal.common;

import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** One stretch of a longer list, read from the database as such, and how long the whole list is. */
public record Slice<T>(List<T> items, long total) {

    /** Checks paging arguments as the API and UI pass them: offset 0 or more, limit 1 to 500. */
    public static void check(long offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 500) {
            throw Refusal.PAGING.with();
        }
    }

    /**
     * A slice from rows read with {@code count(*) OVER ()} (each row paired with the whole list's length). Past the
     * end no row carries the length, so {@code count} is asked then.
     */
    public static <T> Mono<Slice<T>> of(List<Map.Entry<Long, T>> rows, long offset, Mono<Long> count) {
        if (rows.isEmpty() && offset > 0) {
            return count.map(total -> new Slice<T>(List.of(), total));
        }
        return Mono.just(new Slice<>(rows.stream().map(Map.Entry::getValue).toList(), rows.isEmpty() ? 0 : rows.getFirst().getKey()));
    }
}
