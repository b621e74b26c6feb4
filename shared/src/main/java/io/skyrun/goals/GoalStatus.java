package io.skyrun.goals;

import java.util.Arrays;
import java.util.Optional;

/** Lifecycle of a goal: only active goals run. */
public enum GoalStatus {
    ACTIVE, PAUSED, ARCHIVED;

    public String wire() {
        return name().toLowerCase();
    }

    public static Optional<GoalStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }

    public static String allowed() {
        return "active, paused, archived";
    }
}
