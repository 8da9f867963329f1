package dev.netportal.api;

import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** A page of a list, as every list endpoint answers: {@code {items, page, size, total}} (size 1-500, default 50). */
record Page<T>(List<T> items, int page, int size, long total) {

    /**
     * Checks the paging arguments, reads that stretch from the database ({@code read} takes offset and limit) and
     * answers it as a page of views.
     */
    static <S, T> Mono<Page<T>> read(Integer page, Integer size, BiFunction<Long, Integer, Mono<Slice<S>>> read,
            Function<S, T> view) {
        int number = number(page);
        int limit = size(size);
        check(number, limit);
        return read.apply((long) number * limit, limit)
                .map(slice -> new Page<>(slice.items().stream().map(view).toList(), number, limit, slice.total()));
    }

    static int number(Integer page) {
        return page == null ? 0 : page;
    }

    static int size(Integer size) {
        return size == null ? 50 : size;
    }

    /** Refuses a page below 0 or a size outside 1 to 500. */
    static void check(int page, int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw Refusal.PAGING_VALUES.with(page, size);
        }
    }
}
