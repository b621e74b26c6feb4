package io.skyrun.schedule;

import java.time.Instant;
import java.util.List;

/** Storage port for goal schedules. */
public interface ScheduleRepository {
    void create(Schedule schedule);

    List<Schedule> listForGoal(String ownerId, String goalId);

    /** Sets a schedule's active flag and next fire time. */
    void setActive(String ownerId, String id, boolean active, Instant nextFireAt);

    void delete(String ownerId, String id);

    /** Active schedules of every owner whose next fire time is at or before {@code now}: the cron ticker's work list. */
    List<Schedule> due(Instant now, int limit);

    /**
     * Moves a schedule's next fire time from {@code expected} to {@code next}, only if it still is
     * {@code expected}: the conditional write that lets exactly one ticker claim a fire.
     */
    boolean advance(String id, Instant expected, Instant next);

    long countActive(String ownerId);
}
