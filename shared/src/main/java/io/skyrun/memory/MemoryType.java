package io.skyrun.memory;

import io.skyrun.json.WireValue;

import java.util.Optional;

/** The kinds of goal memory seed 002 names: a note, a fact, or an artifact (a longer piece of work). */
public enum MemoryType implements WireValue {
    NOTE("note"),
    FACT("fact"),
    ARTIFACT("artifact");

    private final String wire;

    MemoryType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Optional<MemoryType> parse(String text) {
        return WireValue.parse(values(), text);
    }

    public static String allowed() {
        return WireValue.allowed(values());
    }
}
