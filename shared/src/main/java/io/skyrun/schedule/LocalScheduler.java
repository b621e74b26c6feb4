package io.skyrun.schedule;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The local schedule adapter: keeps each active schedule's next fire time in the store, where the
 * {@link LocalCronTicker} finds it. The active flag itself is stored by the goal service.
 */
@Singleton
@Requires(property = "skyrun.scheduler", value = "local", defaultValue = "local")
public class LocalScheduler implements Scheduler {
    private final ScheduleRepository schedules;
    private final Clock clock;

    public LocalScheduler(ScheduleRepository schedules, Clock clock) {
        this.schedules = schedules;
        this.clock = clock;
    }

    @Override
    public void register(Schedule schedule) {
        resume(schedule);
    }

    @Override
    public void pause(Schedule schedule) {
        schedules.setNextFire(schedule, null);
    }

    @Override
    public void resume(Schedule schedule) {
        schedules.setNextFire(schedule, nextFire(schedule, clock.instant()));
    }

    @Override
    public void remove(Schedule schedule) {
        // the row goes with the goal; nothing else holds the schedule locally
    }

    /** The schedule's first fire time strictly after {@code after}, or null if it never fires again. */
    public static Instant nextFire(Schedule schedule, Instant after) {
        return CronExpression.parse(schedule.cronExpr()).nextAfter(after, ZoneId.of(schedule.timezone())).orElse(null);
    }
}
