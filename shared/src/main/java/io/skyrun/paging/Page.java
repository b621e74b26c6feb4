package io.skyrun.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a newest-first list.
 *
 * @param next where the next page starts, or null when this is the last page
 */
public record Page<T>(List<T> items, Cursor next) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Cuts a page from up to {@code limit + 1} items fetched in order: the extra item only tells that
     * more exist, and the cursor points at the last item kept.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, Cursor> position) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> kept = fetched.subList(0, limit);
        return new Page<>(kept, position.apply(kept.get(limit - 1)));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), next);
    }
}
