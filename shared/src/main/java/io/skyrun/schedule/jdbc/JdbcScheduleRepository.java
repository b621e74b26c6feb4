package io.skyrun.schedule.jdbc;

import io.micronaut.context.annotation.Requires;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleRepository;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

import static io.skyrun.time.Timestamps.instant;
import static io.skyrun.time.Timestamps.millis;

/** Schedule storage on a relational database. */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcScheduleRepository implements ScheduleRepository {
    private final ScheduleRows rows;

    public JdbcScheduleRepository(ScheduleRows rows) {
        this.rows = rows;
    }

    @Override
    public void create(Schedule s) {
        rows.save(new ScheduleRow(s.id(), s.ownerId(), s.goalId(), s.cronExpr(), s.timezone(), s.active(),
                s.createdAt().toEpochMilli(), millis(s.nextFireAt())));
    }

    @Override
    public List<Schedule> listForGoal(String ownerId, String goalId) {
        return rows.listForGoal(ownerId, goalId).stream().map(JdbcScheduleRepository::toSchedule).toList();
    }

    @Override
    public void setActive(Schedule schedule, boolean active) {
        rows.setActive(schedule.id(), schedule.ownerId(), active);
    }

    @Override
    public void setNextFire(Schedule schedule, Instant nextFireAt) {
        rows.setNextFire(schedule.id(), schedule.ownerId(), millis(nextFireAt));
    }

    @Override
    public void delete(Schedule schedule) {
        rows.remove(schedule.id(), schedule.ownerId());
    }

    @Override
    public List<Schedule> due(Instant now, int limit) {
        return rows.due(now.toEpochMilli(), limit).stream().map(JdbcScheduleRepository::toSchedule).toList();
    }

    @Override
    public boolean advance(Schedule schedule, Instant expected, Instant next) {
        return rows.advance(schedule.id(), expected.toEpochMilli(), millis(next)) > 0;
    }

    @Override
    public long countActive(String ownerId) {
        return rows.countActive(ownerId);
    }


    private static Schedule toSchedule(ScheduleRow r) {
        return new Schedule(r.id(), r.ownerId(), r.goalId(), r.cronExpr(), r.timezone(), r.active(),
                Instant.ofEpochMilli(r.createdAt()), instant(r.nextFireAt()));
    }
}
