package dev.netportal.ui;

import com.vaadin.flow.component.grid.Grid;
import dev.netportal.common.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * A grid's rows read from the database a stretch at a time, as the grid scrolls: no list is read whole. Views call
 * {@code grid.getDataProvider().refreshAll()} to read again what is shown.
 */
public final class LazyRows {

    /** The longest stretch a service reads at once ({@link Slice#check}). */
    private static final int MOST = 500;

    private LazyRows() {
    }

    /**
     * Shows in {@code grid} the list of which {@code read} answers a stretch (offset, limit) and the whole length; the
     * grid learns the length from a read of one row.
     */
    public static <T> void show(Grid<T> grid, BiFunction<Long, Integer, Mono<Slice<T>>> read) {
        grid.setItems(query -> rows(read, query.getOffset(), query.getLimit()),
                query -> (int) Math.min(read.apply(0L, 1).block().total(), Integer.MAX_VALUE));
    }

    private static <T> Stream<T> rows(BiFunction<Long, Integer, Mono<Slice<T>>> read, long offset, int limit) {
        List<T> rows = new ArrayList<>();
        for (long from = offset; from < offset + limit; from += MOST) {
            int wanted = (int) Math.min(MOST, offset + limit - from);
            List<T> stretch = read.apply(from, wanted).block().items();
            rows.addAll(stretch);
            if (stretch.size() < wanted) {
                break;
            }
        }
        return rows.stream();
    }
}
