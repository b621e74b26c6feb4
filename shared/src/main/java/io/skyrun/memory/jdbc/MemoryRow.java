package io.skyrun.memory.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A memory entry as the {@code goal_memory} table holds it. */
@MappedEntity("goal_memory")
public record MemoryRow(
        @Id String id,
        String ownerId,
        String goalId,
        String memKey,
        String memType,
        String content,
        @Nullable String runId,
        long createdAt,
        long updatedAt) {
}
