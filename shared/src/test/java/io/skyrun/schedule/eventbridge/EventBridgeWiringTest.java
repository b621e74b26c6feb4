package io.skyrun.schedule.eventbridge;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.paging.PageRequest;
import io.skyrun.schedule.LocalCronTicker;
import io.skyrun.schedule.Scheduler;
import io.skyrun.testing.Goals;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code SKYRUN_SCHEDULER=eventbridge}, goal schedules become rules on EventBridge (here: the local recorder). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBridgeWiringTest implements TestPropertyProvider {
    static final String TARGET = "arn:aws:lambda:us-east-1:123456789012:function:skyrun-schedule-trigger:live";
    static final String DLQ = "arn:aws:sqs:us-east-1:123456789012:skyrun-schedule-dlq";

    private final EventBridgeRecorder recorder = EventBridgeRecorder.start();

    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    Scheduler scheduler;
    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "skyrun.scheduler", "eventbridge",
                "skyrun.aws.eventbridge-endpoint", recorder.endpoint().toString(),
                "skyrun.eventbridge.target-arn", TARGET,
                "skyrun.eventbridge.dead-letter-arn", DLQ);
    }

    @AfterAll
    void stop() {
        recorder.close();
    }

    private Goal scheduledGoal() {
        return Goals.create(goals, requests, "{\"objective\":\"Scheduled on EventBridge\","
                + "\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":\"Europe/Berlin\"}}");
    }

    private String prefixOf(Goal goal) {
        return "skyrun-" + goals.schedules("default", goal.id()).get(0).id() + "-";
    }

    @Test
    void theEventBridgeAdapterReplacesTheLocalCron() {
        assertThat(scheduler).isInstanceOf(EventBridgeScheduler.class);
        assertThat(context.findBean(LocalCronTicker.class)).isEmpty();
    }

    @Test
    void aGoalScheduleBecomesEnabledRulesTargetingTheTrigger() {
        Goal goal = scheduledGoal();

        var rules = recorder.rules("default").stream().filter(r -> r.name().startsWith(prefixOf(goal))).toList();

        assertThat(rules).hasSize(2);
        assertThat(rules).allMatch(r -> r.state().equals("ENABLED"));
        assertThat(rules).extracting(EventBridgeRecorder.StoredRule::expression)
                .containsExactlyInAnyOrder("cron(0 7 * * ? *)", "cron(0 8 * * ? *)");
        assertThat(recorder.calls("PutTargets")).anyMatch(c -> c.toString().contains(TARGET) && c.toString().contains(DLQ));
    }

    @Test
    void pauseDisablesResumeEnablesAndDeleteRemovesTheRules() {
        Goal goal = scheduledGoal();
        String prefix = prefixOf(goal);

        goals.pause("default", goal.id());
        assertThat(recorder.rules("default").stream().filter(r -> r.name().startsWith(prefix)))
                .allMatch(r -> r.state().equals("DISABLED"));
        goals.resume("default", goal.id());
        assertThat(recorder.rules("default").stream().filter(r -> r.name().startsWith(prefix)))
                .allMatch(r -> r.state().equals("ENABLED"));
        goals.delete("default", goal.id());
        assertThat(recorder.rules("default").stream().filter(r -> r.name().startsWith(prefix))).isEmpty();
        assertThat(goals.list("default", null, PageRequest.first(100)).items()).extracting(Goal::id).doesNotContain(goal.id());
    }
}
