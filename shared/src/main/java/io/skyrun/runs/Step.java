package io.skyrun.runs;

import java.time.Instant;
import java.util.Map;

/** One step of a run: the agent's thought, the tool it called and what it observed. */
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
        Instant createdAt) {
}
