package io.skyrun.memory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of goal memory seed 002 names: a note, a fact, or an artifact (a longer piece of work). */
public enum MemoryType {
    NOTE("note"),
    FACT("fact"),
    ARTIFACT("artifact");

    private final String wire;

    MemoryType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<MemoryType> parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.wire.equals(wanted)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(MemoryType::wire).collect(Collectors.joining(", "));
    }
}
