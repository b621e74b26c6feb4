package io.skyrun.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

/** A delivery attempt as {@code GET /api/v1/runs/{id}/webhook-deliveries} shows it. */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryView(String id, String runId, String event, String url, int attempt, Integer statusCode,
                           String error, long durationMs, boolean delivered, String createdAt) {
    public static DeliveryView of(DeliveryRecord r) {
        return new DeliveryView(r.id(), r.runId(), r.event(), r.url(), r.attempt(), r.statusCode(), r.error(),
                r.durationMs(), r.error() == null && r.statusCode() != null && r.statusCode() / 100 == 2,
                Timestamps.format(r.createdAt()));
    }
}
