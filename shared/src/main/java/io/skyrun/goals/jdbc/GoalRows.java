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

    @Query("SELECT * FROM goals WHERE owner_id = :ownerId ORDER BY created_at DESC, id DESC")
    List<GoalRow> listAll(String ownerId);

    @Query("SELECT * FROM goals WHERE owner_id = :ownerId AND status = :status ORDER BY created_at DESC, id DESC")
    List<GoalRow> listByStatus(String ownerId, String status);

    @Query("DELETE FROM goals WHERE id = :id AND owner_id = :ownerId")
    long remove(String id, String ownerId);
}
