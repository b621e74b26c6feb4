package io.skyrun.paging;

/**
 * What a caller asks of a list: at most {@code limit} items, starting after {@code after} (null: from the newest).
 */
public record PageRequest(Cursor after, int limit) {
    public PageRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }
}
