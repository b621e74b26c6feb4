package io.skyrun.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formats instants the way every API response shows them: ISO-8601 UTC with milliseconds and {@code Z}. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /** Epoch milliseconds as storage keeps them; null stays null. */
    public static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /** The instant of stored epoch milliseconds; null stays null. */
    public static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
