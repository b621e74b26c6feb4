package io.skyrun.memory;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

/** A memory entry as {@code /api/v1/goals/{id}/memory} shows it. */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MemoryView(String id, String goalId, String type, String key, String content, String runId,
                         String createdAt, String updatedAt) {
    public static MemoryView of(MemoryEntry e) {
        return new MemoryView(e.id(), e.goalId(), e.type().wire(), e.key(), e.content(), e.runId(),
                Timestamps.format(e.createdAt()), Timestamps.format(e.updatedAt()));
    }
}
