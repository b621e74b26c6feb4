package io.skyrun.webhooks.jdbc;

import io.micronaut.context.annotation.Requires;
import io.skyrun.webhooks.DeliveryRecord;
import io.skyrun.webhooks.DeliveryRepository;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** Webhook delivery records on a relational database; they go with their run (ON DELETE CASCADE). */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcDeliveryRepository implements DeliveryRepository {
    private final DeliveryRows rows;

    public JdbcDeliveryRepository(DeliveryRows rows) {
        this.rows = rows;
    }

    @Override
    public void add(DeliveryRecord r) {
        rows.save(new DeliveryRow(r.id(), r.ownerId(), r.runId(), r.goalId(), r.event(), r.url(), r.attempt(),
                r.statusCode(), r.error(), r.durationMs(), r.createdAt().toEpochMilli()));
    }

    @Override
    public List<DeliveryRecord> list(String ownerId, String runId) {
        return rows.listForRun(ownerId, runId).stream()
                .map(r -> new DeliveryRecord(r.id(), r.ownerId(), r.runId(), r.goalId(), r.event(), r.url(), r.attempt(),
                        r.statusCode(), r.error(), r.durationMs(), Instant.ofEpochMilli(r.createdAt())))
                .toList();
    }
}
