package io.skyrun.runs;

import io.skyrun.agent.Usage;

import java.time.Instant;
import java.util.Map;

/**
 * One execution of a goal.
 *
 * @param usage model tokens all its steps consumed so far
 */
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
        Instant createdAt,
        Usage usage) {

    public Run {
        usage = usage == null ? Usage.NONE : usage;
    }

    /** A run that has used no tokens yet. */
    public Run(String id, String ownerId, String goalId, RunStatus status, Instant startedAt, Instant endedAt,
               Map<String, Object> workingMemory, int stepBudget, int stepsExecuted, String error, Instant createdAt) {
        this(id, ownerId, goalId, status, startedAt, endedAt, workingMemory, stepBudget, stepsExecuted, error,
                createdAt, Usage.NONE);
    }
}
