package io.skyrun.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Position in a newest-first list: the creation time and id of the last item a page returned. The next
 * page holds the items strictly older than it (ties on the time broken by id), so items created
 * meanwhile never shift a page and none is seen twice. On the wire it is an opaque URL-safe token.
 */
public record Cursor(long createdAtMillis, String id) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_TOKEN = 200;

    public Cursor {
        if (createdAtMillis < 0 || id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a valid cursor position");
        }
    }

    public static Cursor after(Instant createdAt, String id) {
        return new Cursor(createdAt.toEpochMilli(), id);
    }

    public String token() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAtMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token made by {@link #token()}; empty for anything else. */
    public static Optional<Cursor> parse(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String millis = text.substring(0, colon);
            if (!millis.chars().allMatch(Character::isDigit) || millis.length() > 13) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(Long.parseLong(millis), text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
