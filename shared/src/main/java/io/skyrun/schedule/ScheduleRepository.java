package io.skyrun.schedule;

import java.time.Instant;
import java.util.List;

/** Storage port for goal schedules. */
public interface ScheduleRepository {
    void create(Schedule schedule);

    List<Schedule> listForGoal(String ownerId, String goalId);

    /** Marks a schedule active or inactive; only active schedules are due or counted. */
    void setActive(Schedule schedule, boolean active);

    /** Sets when the local cron ticker fires the schedule next (null: never again). */
    void setNextFire(Schedule schedule, Instant nextFireAt);

    void delete(Schedule schedule);

    /** Active schedules of every owner whose next fire time is at or before {@code now}: the cron ticker's work list. */
    List<Schedule> due(Instant now, int limit);

    /**
     * Moves an active schedule's next fire time from {@code expected} to {@code next}, only if it still is
     * {@code expected}: the conditional write that lets exactly one ticker claim a fire.
     */
    boolean advance(Schedule schedule, Instant expected, Instant next);

    long countActive(String ownerId);
}
