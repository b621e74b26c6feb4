package io.skyrun.runs.jdbc;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Micronaut Data queries on the {@code steps} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface StepRows extends GenericRepository<StepRow, String> {
    StepRow save(StepRow row);

    @Query("SELECT * FROM steps WHERE run_id = :runId AND owner_id = :ownerId ORDER BY step_no")
    List<StepRow> listForRun(String ownerId, String runId);
}
