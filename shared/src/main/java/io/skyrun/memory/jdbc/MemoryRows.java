package io.skyrun.memory.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/** Micronaut Data queries on the {@code goal_memory} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MemoryRows extends GenericRepository<MemoryRow, String> {
    MemoryRow save(MemoryRow row);

    @Query("UPDATE goal_memory SET mem_type = :memType, content = :content, run_id = :runId, updated_at = :updatedAt "
            + "WHERE goal_id = :goalId AND owner_id = :ownerId AND mem_key = :memKey")
    long change(String ownerId, String goalId, String memKey, String memType, String content, @Nullable String runId,
                long updatedAt);

    @Query("SELECT * FROM goal_memory WHERE owner_id = :ownerId AND goal_id = :goalId AND mem_key = :memKey")
    Optional<MemoryRow> findEntry(String ownerId, String goalId, String memKey);

    @Query("SELECT * FROM goal_memory WHERE owner_id = :ownerId AND goal_id = :goalId ORDER BY mem_key")
    List<MemoryRow> listForGoal(String ownerId, String goalId);

    @Query("DELETE FROM goal_memory WHERE owner_id = :ownerId AND goal_id = :goalId AND mem_key = :memKey")
    long remove(String ownerId, String goalId, String memKey);
}
