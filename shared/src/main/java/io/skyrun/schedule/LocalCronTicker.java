package io.skyrun.schedule;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.skyrun.runs.RunService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * The in-process cron: every tick, fires the active schedules that are due. A fire is claimed by
 * moving the schedule's next fire time with a conditional write, so two tickers never both fire
 * it. Fires missed while the server was down are caught up with a single run, not one per miss.
 */
@Singleton
@Requires(property = "skyrun.scheduler", value = "local", defaultValue = "local")
public class LocalCronTicker {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCronTicker.class);
    private static final int BATCH = 100;

    private final ScheduleRepository schedules;
    private final RunService runs;
    private final Clock clock;

    public LocalCronTicker(ScheduleRepository schedules, RunService runs, Clock clock) {
        this.schedules = schedules;
        this.runs = runs;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${skyrun.scheduler.tick-interval:1s}", initialDelay = "${skyrun.scheduler.tick-interval:1s}")
    void scheduledTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("Cron tick failed; will try again", e);
        }
    }

    /** Fires every due schedule once; returns how many runs it started. */
    public int tick() {
        Instant now = clock.instant();
        int started = 0;
        for (Schedule schedule : schedules.due(now, BATCH)) {
            Instant next = LocalScheduler.nextFire(schedule, now);
            if (!schedules.advance(schedule, schedule.nextFireAt(), next)) {
                continue;
            }
            LOG.info("Schedule {} ({} {}) fired for {}", schedule.id(), schedule.cronExpr(), schedule.timezone(),
                    schedule.nextFireAt());
            if (runs.triggerScheduled(schedule.ownerId(), schedule.goalId(), schedule.id()).isPresent()) {
                started++;
            }
        }
        return started;
    }
}
