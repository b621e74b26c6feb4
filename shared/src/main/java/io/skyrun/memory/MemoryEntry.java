package io.skyrun.memory;

import java.time.Instant;

/**
 * One entry of a goal's memory, kept across runs under a key unique within the goal.
 *
 * @param runId the run that wrote it last, or null when it was written through the API
 */
public record MemoryEntry(
        String id,
        String ownerId,
        String goalId,
        MemoryType type,
        String key,
        String content,
        String runId,
        Instant createdAt,
        Instant updatedAt) {
}
