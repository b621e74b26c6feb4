package io.skyrun.runs;

import io.skyrun.agent.Usage;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a run: the agent's thought, the tool it called and what it observed.
 *
 * @param usage tokens the model call of this step consumed; null when the provider reports none
 */
public record Step(
        String id,
        String ownerId,
        String runId,
        int stepNo,
        String thought,
        String toolName,
        Map<String, Object> toolInput,
        String observation,
        long durationMs,
        String error,
        Instant createdAt,
        Usage usage) {

    /** A step that used no model tokens (or whose provider reported none). */
    public Step(String id, String ownerId, String runId, int stepNo, String thought, String toolName,
                Map<String, Object> toolInput, String observation, long durationMs, String error, Instant createdAt) {
        this(id, ownerId, runId, stepNo, thought, toolName, toolInput, observation, durationMs, error, createdAt, null);
    }
}
