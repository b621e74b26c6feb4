package io.skyrun.schedule;

import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.RunRepository;
import io.skyrun.testing.Goals;
import io.skyrun.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process cron, driven by an injected clock instead of waiting for real time. */
@MicronautTest(transactional = false)
class LocalCronTickerTest {
    // static: @MockBean factories may be called on another test instance than the running one
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-27T06:00:00Z"));

    @Inject
    LocalCronTicker ticker;
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    ScheduleRepository schedules;
    @Inject
    RunRepository runs;

    @MockBean(Clock.class)
    Clock clock() {
        return clock;
    }

    private Goal berlinNineOClock() {
        return Goals.create(goals, requests, "{\"objective\":\"Morning report in Berlin\","
                + "\"params\":{\"allowedTools\":[\"current_time\"]},"
                + "\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":\"Europe/Berlin\"}}");
    }

    private int runsOf(Goal goal) {
        return runs.list("default", goal.id(), null, PageRequest.first(100)).items().size();
    }

    @Test
    void aScheduleFiresAtItsLocalTimeOnBothSidesOfTheSpringChange() {
        clock.set(Instant.parse("2026-03-27T06:00:00Z"));
        Goal goal = berlinNineOClock();
        Schedule schedule = schedules.listForGoal("default", goal.id()).get(0);
        assertThat(schedule.nextFireAt()).isEqualTo(Instant.parse("2026-03-27T08:00:00Z"));

        clock.set(Instant.parse("2026-03-27T07:59:59Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isZero();

        clock.set(Instant.parse("2026-03-27T08:00:00Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isEqualTo(1);

        // 09:00 CET is 08:00Z on Saturday; from Sunday on, 09:00 CEST is 07:00Z
        clock.set(Instant.parse("2026-03-28T08:00:00Z"));
        ticker.tick();
        assertThat(schedules.listForGoal("default", goal.id()).get(0).nextFireAt())
                .isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
        clock.set(Instant.parse("2026-03-29T07:00:00Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isEqualTo(3);
    }

    @Test
    void aDueScheduleFiresOnceHoweverOftenTheTickerRuns() {
        clock.set(Instant.parse("2026-06-01T06:00:00Z"));
        Goal goal = berlinNineOClock();
        clock.set(Instant.parse("2026-06-01T07:00:30Z"));

        ticker.tick();
        ticker.tick();
        ticker.tick();

        assertThat(runsOf(goal)).isEqualTo(1);
    }

    @Test
    void firesMissedWhileTheServerWasDownAreCaughtUpWithOneRun() {
        clock.set(Instant.parse("2026-06-01T06:00:00Z"));
        Goal goal = berlinNineOClock();

        clock.advance(Duration.ofDays(3));
        ticker.tick();

        assertThat(runsOf(goal)).isEqualTo(1);
        assertThat(schedules.listForGoal("default", goal.id()).get(0).nextFireAt())
                .isEqualTo(Instant.parse("2026-06-04T07:00:00Z"));
    }

    @Test
    void aPausedGoalsScheduleDoesNotFireAndResumesAfterResume() {
        clock.set(Instant.parse("2026-06-01T06:00:00Z"));
        Goal goal = berlinNineOClock();
        goals.pause("default", goal.id());
        assertThat(schedules.listForGoal("default", goal.id()).get(0).active()).isFalse();

        clock.set(Instant.parse("2026-06-01T07:00:00Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isZero();

        goals.resume("default", goal.id());
        Schedule resumed = schedules.listForGoal("default", goal.id()).get(0);
        assertThat(resumed.active()).isTrue();
        assertThat(resumed.nextFireAt()).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
        clock.set(Instant.parse("2026-06-02T07:00:00Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isEqualTo(1);
    }

    @Test
    void archivingAGoalThroughAnUpdateStopsItsSchedule() {
        clock.set(Instant.parse("2026-06-01T06:00:00Z"));
        Goal goal = berlinNineOClock();

        goals.update("default", goal.id(), requests.patch("{\"status\":\"archived\"}"));

        assertThat(schedules.listForGoal("default", goal.id()).get(0).active()).isFalse();
        clock.set(Instant.parse("2026-06-01T07:00:00Z"));
        ticker.tick();
        assertThat(runsOf(goal)).isZero();
    }

    @Test
    void deletingAGoalRemovesItsSchedule() {
        clock.set(Instant.parse("2026-06-01T06:00:00Z"));
        Goal goal = berlinNineOClock();

        goals.delete("default", goal.id());

        assertThat(schedules.listForGoal("default", goal.id())).isEmpty();
        clock.set(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(ticker.tick()).isZero();
    }
}
