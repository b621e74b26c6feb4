package io.skyrun.runs.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/** Micronaut Data queries on the {@code runs} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RunRows extends GenericRepository<RunRow, String> {
    RunRow save(RunRow row);

    Optional<RunRow> findById(String id);

    Optional<RunRow> findByIdAndOwnerId(String id, String ownerId);

    @Query("SELECT * FROM runs WHERE owner_id = :ownerId "
            + "AND (CAST(:goalId AS VARCHAR) IS NULL OR goal_id = :goalId) "
            + "AND (CAST(:status AS VARCHAR) IS NULL OR status = :status) "
            + "AND (CAST(:beforeId AS VARCHAR) IS NULL OR created_at < :beforeAt "
            + "OR (created_at = :beforeAt AND id < :beforeId)) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<RunRow> list(String ownerId, @Nullable String goalId, @Nullable String status, long beforeAt,
                      @Nullable String beforeId, int limit);

    @Query("SELECT id FROM runs WHERE status = :status ORDER BY created_at, id LIMIT :limit")
    List<String> idsInStatus(String status, int limit);

    @Query("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, :now), lease_until = :leaseUntil "
            + "WHERE id = :id AND (status = 'pending' "
            + "OR (status = 'running' AND (lease_until IS NULL OR lease_until < :now)))")
    long claim(String id, long now, long leaseUntil);

    @Query("UPDATE runs SET steps_executed = :stepsExecuted, working_memory = :workingMemory, "
            + "input_tokens = :inputTokens, output_tokens = :outputTokens, lease_until = :leaseUntil "
            + "WHERE id = :id AND status = 'running'")
    long progress(String id, int stepsExecuted, String workingMemory, long inputTokens, long outputTokens,
                  long leaseUntil);

    @Query("UPDATE runs SET lease_until = 0 WHERE id = :id AND status = 'running'")
    long release(String id);

    @Query("UPDATE runs SET status = :status, ended_at = :endedAt, error = :error, "
            + "working_memory = COALESCE(:workingMemory, working_memory) "
            + "WHERE id = :id AND status IN ('pending', 'running')")
    long finish(String id, String status, long endedAt, @Nullable String error, @Nullable String workingMemory);

    @Query("DELETE FROM runs WHERE id = :id AND owner_id = :ownerId")
    long remove(String id, String ownerId);
}
