package io.skyrun.goals.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/** Micronaut Data queries on the {@code goals} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface GoalRows extends GenericRepository<GoalRow, String> {
    GoalRow save(GoalRow row);

    @Query("UPDATE goals SET objective = :objective, params = :params, webhook_url = :webhookUrl, status = :status, "
            + "updated_at = :updatedAt WHERE id = :id AND owner_id = :ownerId")
    long change(String id, String ownerId, String objective, String params, @Nullable String webhookUrl, String status,
                long updatedAt);

    Optional<GoalRow> findByIdAndOwnerId(String id, String ownerId);

    /** One page, newest first; with {@code beforeId} set, only goals older than (beforeAt, beforeId). */
    @Query("SELECT * FROM goals WHERE owner_id = :ownerId "
            + "AND (CAST(:status AS VARCHAR) IS NULL OR status = :status) "
            + "AND (CAST(:beforeId AS VARCHAR) IS NULL OR created_at < :beforeAt "
            + "OR (created_at = :beforeAt AND id < :beforeId)) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<GoalRow> page(String ownerId, @Nullable String status, long beforeAt, @Nullable String beforeId, int limit);

    @Query("SELECT webhook_secret FROM goals WHERE id = :id AND owner_id = :ownerId")
    Optional<String> secretOf(String id, String ownerId);

    @Query("UPDATE goals SET webhook_secret = :secret WHERE id = :id AND owner_id = :ownerId")
    long setSecret(String id, String ownerId, String secret);

    @Query("DELETE FROM goals WHERE id = :id AND owner_id = :ownerId")
    long remove(String id, String ownerId);
}
