package io.skyrun.webhooks.jdbc;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Micronaut Data queries on the {@code webhook_deliveries} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeliveryRows extends GenericRepository<DeliveryRow, String> {
    DeliveryRow save(DeliveryRow row);

    @Query("SELECT * FROM webhook_deliveries WHERE owner_id = :ownerId AND run_id = :runId ORDER BY created_at, attempt, id")
    List<DeliveryRow> listForRun(String ownerId, String runId);
}
