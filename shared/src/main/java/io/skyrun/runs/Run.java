package io.skyrun.runs;

import java.time.Instant;
import java.util.Map;

/** One execution of a goal. */
public record Run(
        String id,
        String ownerId,
        String goalId,
        RunStatus status,
        Instant startedAt,
        Instant endedAt,
        Map<String, Object> workingMemory,
        int stepBudget,
        int stepsExecuted,
        String error,
        Instant createdAt) {
}
