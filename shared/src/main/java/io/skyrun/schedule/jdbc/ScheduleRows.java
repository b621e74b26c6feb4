package io.skyrun.schedule.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Micronaut Data queries on the {@code schedules} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ScheduleRows extends GenericRepository<ScheduleRow, String> {
    ScheduleRow save(ScheduleRow row);

    @Query("SELECT * FROM schedules WHERE owner_id = :ownerId AND goal_id = :goalId ORDER BY created_at, id")
    List<ScheduleRow> listForGoal(String ownerId, String goalId);

    @Query("UPDATE schedules SET active = :active WHERE id = :id AND owner_id = :ownerId")
    long setActive(String id, String ownerId, boolean active);

    @Query("UPDATE schedules SET next_fire_at = :nextFireAt WHERE id = :id AND owner_id = :ownerId")
    long setNextFire(String id, String ownerId, @Nullable Long nextFireAt);

    @Query("DELETE FROM schedules WHERE id = :id AND owner_id = :ownerId")
    long remove(String id, String ownerId);

    @Query("SELECT * FROM schedules WHERE active = TRUE AND next_fire_at <= :now ORDER BY next_fire_at LIMIT :limit")
    List<ScheduleRow> due(long now, int limit);

    @Query("UPDATE schedules SET next_fire_at = :next WHERE id = :id AND active = TRUE AND next_fire_at = :expected")
    long advance(String id, long expected, @Nullable Long next);

    @Query("SELECT COUNT(*) FROM schedules WHERE owner_id = :ownerId AND active = TRUE")
    long countActive(String ownerId);
}
