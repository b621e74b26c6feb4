package io.skyrun.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunStatus;
import io.skyrun.schedule.Schedule;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.Goals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schedule trigger fed what EventBridge sends it: a real scheduled event, passed through the rule
 * target's input transformer (its {@code time} into the schedule's input), on DynamoDB Local.
 */
class ScheduleTriggerTest {
    static ApplicationContext context;
    static ScheduleTriggerHandler handler;

    @BeforeAll
    static void start() {
        Map<String, Object> props = new LinkedHashMap<>(DynamoLocal.properties());
        props.put("skyrun.rate-limit.per-minute", 0);
        context = ApplicationContext.builder().properties(props).environments("test").start();
        handler = new ScheduleTriggerHandler(context);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    /** A scheduled event exactly as EventBridge emits it for a rule. */
    private static String scheduledEvent(String time) {
        return """
                {"version":"0","id":"89d1a02d-5ec7-412e-82f5-13505f849b41","detail-type":"Scheduled Event",
                 "source":"aws.events","account":"123456789012","time":"%s","region":"us-east-1",
                 "resources":["arn:aws:events:us-east-1:123456789012:rule/skyrun-sched_x-0"],"detail":{}}
                """.formatted(time);
    }

    /** What the rule's input transformer hands the Lambda for that event. */
    private static Map<String, Object> transformed(Schedule schedule, String time) throws Exception {
        JsonNode event = Api.JSON.readTree(scheduledEvent(time));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("ownerId", schedule.ownerId());
        input.put("goalId", schedule.goalId());
        input.put("scheduleId", schedule.id());
        input.put("cronExpr", schedule.cronExpr());
        input.put("timezone", schedule.timezone());
        input.put("time", event.path("time").asText());
        return input;
    }

    private static Goal berlinGoal() {
        return Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                "{\"objective\":\"Nine o'clock in Berlin\",\"params\":{\"allowedTools\":[\"current_time\"]},"
                        + "\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":\"Europe/Berlin\"}}");
    }

    private static Schedule scheduleOf(Goal goal) {
        return context.getBean(GoalService.class).schedules("default", goal.id()).get(0);
    }

    private static List<Run> runsOf(Goal goal) {
        return context.getBean(RunRepository.class).list("default", goal.id(), null, PageRequest.first(50)).items();
    }

    @Test
    void aFireAtTheLocalTimeStartsARunThatCompletes() throws Exception {
        Goal goal = berlinGoal();

        Map<String, Object> result = handler.handleRequest(transformed(scheduleOf(goal), "2026-03-30T07:00:00Z"), null);

        assertThat(result).containsEntry("started", true);
        String runId = (String) result.get("runId");
        Run run = Await.until("the scheduled run", () -> context.getBean(RunRepository.class).findById(runId).orElseThrow(),
                r -> r.status().ended());
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.goalId()).isEqualTo(goal.id());
        assertThat(run.workingMemory()).containsEntry("trigger", scheduleOf(goal).id());
    }

    @Test
    void theSameFireDeliveredTwiceStartsOneRun() throws Exception {
        Goal goal = berlinGoal();
        Map<String, Object> fire = transformed(scheduleOf(goal), "2026-07-01T07:00:00Z");

        Map<String, Object> first = handler.handleRequest(fire, null);
        Map<String, Object> again = handler.handleRequest(fire, null);

        assertThat(first).containsEntry("started", true);
        assertThat(again).containsEntry("started", false).containsEntry("skipped", "already fired");
        assertThat(runsOf(goal)).hasSize(1);
    }

    @Test
    void theOtherOffsetsCandidateTimeStartsNothing() throws Exception {
        Goal goal = berlinGoal();

        // in summer 09:00 Berlin is 07:00Z; the rule for winter's 08:00Z also fires and must be ignored
        Map<String, Object> result = handler.handleRequest(transformed(scheduleOf(goal), "2026-07-01T08:00:00Z"), null);

        assertThat(result).containsEntry("started", false);
        assertThat((String) result.get("skipped")).startsWith("not a fire time");
        assertThat(runsOf(goal)).isEmpty();
    }

    @Test
    void aPausedGoalsFireStartsNothing() throws Exception {
        Goal goal = berlinGoal();
        Schedule schedule = scheduleOf(goal);
        context.getBean(GoalService.class).pause("default", goal.id());

        Map<String, Object> result = handler.handleRequest(transformed(schedule, "2026-07-01T07:00:00Z"), null);

        assertThat(result).containsEntry("started", false).containsEntry("skipped", "schedule is paused");
        assertThat(runsOf(goal)).isEmpty();
    }

    @Test
    void aFireForADeletedGoalStartsNothing() throws Exception {
        Goal goal = berlinGoal();
        Schedule schedule = scheduleOf(goal);
        context.getBean(GoalService.class).delete("default", goal.id());

        Map<String, Object> result = handler.handleRequest(transformed(schedule, "2026-07-01T07:00:00Z"), null);

        assertThat(result).containsEntry("started", false).containsEntry("skipped", "schedule no longer exists");
    }

    @Test
    void aMalformedFireFailsSoEventBridgeRetriesAndDeadLetters() {
        assertThatThrownBy(() -> handler.handleRequest(Map.of("goalId", "goal_x"), null))
                .hasMessageContaining("ownerId");
    }
}
