package io.skyrun.outputs;

import io.skyrun.json.WireValue;

import java.util.Optional;

/** What a run produces at its end (seed 002's OutputKind). */
public enum OutputKind implements WireValue {
    SUMMARY("summary"),
    FILE("file"),
    WEBHOOK("webhook"),
    EMAIL("email");

    private final String wire;

    OutputKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Optional<OutputKind> parse(String text) {
        return WireValue.parse(values(), text);
    }

    public static String allowed() {
        return WireValue.allowed(values());
    }
}
