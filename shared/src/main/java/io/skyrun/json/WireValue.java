package io.skyrun.json;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An enum constant with a lower-case name on the wire (API bodies, configuration, storage). */
public interface WireValue {
    String wire();

    /** The constant whose wire name is the text, ignoring case and surrounding spaces. */
    static <E extends WireValue> Optional<E> parse(E[] values, String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values).filter(v -> v.wire().equals(wanted)).findFirst();
    }

    /** The wire names, comma-separated, for error messages. */
    static String allowed(WireValue[] values) {
        return Arrays.stream(values).map(WireValue::wire).collect(Collectors.joining(", "));
    }
}
