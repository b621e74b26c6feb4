package io.skyrun.webhooks.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A delivery attempt as the {@code webhook_deliveries} table holds it. */
@MappedEntity("webhook_deliveries")
public record DeliveryRow(
        @Id String id,
        String ownerId,
        String runId,
        String goalId,
        String event,
        String url,
        int attempt,
        @Nullable Integer statusCode,
        @Nullable String error,
        long durationMs,
        long createdAt) {
}
