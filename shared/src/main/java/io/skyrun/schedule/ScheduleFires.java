package io.skyrun.schedule;

import io.skyrun.runs.Run;
import io.skyrun.runs.RunService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Turns one delivered schedule fire (from an EventBridge rule) into at most one run. The rules fire
 * at every UTC time that could be a local fire time, so the stored schedule decides: it must still
 * exist and be active, the instant must be one of its local fire times, and the fire must be the
 * first of its kind (a redelivered fire starts nothing).
 */
@Singleton
public class ScheduleFires {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFires.class);

    private final ScheduleRepository schedules;
    private final FireLedger ledger;
    private final RunService runs;

    public ScheduleFires(ScheduleRepository schedules, FireLedger ledger, RunService runs) {
        this.schedules = schedules;
        this.ledger = ledger;
        this.runs = runs;
    }

    /** What became of a fire: the run it started, or why it started none. */
    public record Outcome(String runId, String skipped) {
        public boolean started() {
            return runId != null;
        }
    }

    public Outcome fire(String ownerId, String goalId, String scheduleId, Instant time) {
        Instant at = time.truncatedTo(ChronoUnit.MINUTES);
        Optional<Schedule> found = schedules.listForGoal(ownerId, goalId).stream()
                .filter(s -> s.id().equals(scheduleId)).findFirst();
        if (found.isEmpty()) {
            return skip(scheduleId, at, "schedule no longer exists");
        }
        Schedule schedule = found.get();
        if (!schedule.active()) {
            return skip(scheduleId, at, "schedule is paused");
        }
        if (!CronExpression.parse(schedule.cronExpr()).firesAt(at, ZoneId.of(schedule.timezone()))) {
            return skip(scheduleId, at, "not a fire time of '" + schedule.cronExpr() + "' in " + schedule.timezone());
        }
        if (!ledger.firstFire(schedule, at)) {
            return skip(scheduleId, at, "already fired");
        }
        Optional<Run> run = runs.triggerScheduled(ownerId, goalId, scheduleId);
        if (run.isEmpty()) {
            return skip(scheduleId, at, "goal is not active");
        }
        LOG.info("Schedule {} fired for {}: run {}", scheduleId, at, run.get().id());
        return new Outcome(run.get().id(), null);
    }

    private static Outcome skip(String scheduleId, Instant at, String why) {
        LOG.info("Schedule {} fire at {} started no run: {}", scheduleId, at, why);
        return new Outcome(null, why);
    }
}
