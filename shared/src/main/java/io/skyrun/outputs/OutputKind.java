package io.skyrun.outputs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a run produces at its end (seed 002's OutputKind). */
public enum OutputKind {
    SUMMARY("summary"),
    FILE("file"),
    WEBHOOK("webhook"),
    EMAIL("email");

    private final String wire;

    OutputKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<OutputKind> parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.wire.equals(wanted)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(OutputKind::wire).collect(Collectors.joining(", "));
    }
}
