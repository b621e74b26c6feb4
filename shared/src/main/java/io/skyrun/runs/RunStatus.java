package io.skyrun.runs;

import java.util.Arrays;
import java.util.Optional;

/** A run's state: pending until a worker claims it, then running, then completed or failed. */
public enum RunStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public String wire() {
        return name().toLowerCase();
    }

    public boolean ended() {
        return this == COMPLETED || this == FAILED;
    }

    public static Optional<RunStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }

    public static String allowed() {
        return "pending, running, completed, failed";
    }
}
