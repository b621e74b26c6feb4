package io.skyrun.schedule.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyrun.schedule.CronExpression;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.SchedulerUnavailable;
import io.skyrun.schedule.eventbridge.EventBridgeRecorder.Call;
import io.skyrun.schedule.eventbridge.EventBridgeRecorder.StoredRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

class EventBridgeSchedulerTest {

    private static final String BUS = "skyrun-bus";
    private static final String PREFIX = "skyrun-";
    private static final String TARGET_ARN = "arn:aws:lambda:us-east-1:123456789012:function:skyrun-trigger";
    private static final String DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:skyrun-trigger-dlq";
    private static final EventBridgeSchedulerSettings SETTINGS =
            new EventBridgeSchedulerSettings(BUS, PREFIX, TARGET_ARN, DLQ_ARN, 3, 3600);
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final String ID = "sched_01m8432tfpcmq4re9nsab93cpx";
    private static final String OTHER_ID = "sched_01m8432tfpcmq4re9nsab93zzz";

    private final ObjectMapper json = new ObjectMapper();
    private EventBridgeRecorder recorder;
    private EventBridgeClient client;
    private EventBridgeScheduler scheduler;

    @BeforeEach
    void startRecorder() {
        recorder = EventBridgeRecorder.start();
        client = recorder.client();
        scheduler = new EventBridgeScheduler(client, SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopRecorder() {
        client.close();
        recorder.close();
    }

    private static Schedule schedule(String id, String cron, String zone) {
        return new Schedule(id, "user_01owner", "goal_01goal", cron, zone, true, NOW, null);
    }

    private static String rule(String id, int index) {
        return PREFIX + id + "-" + index;
    }

    private List<String> ruleNames() {
        return recorder.rules(BUS).stream().map(StoredRule::name).toList();
    }

    @Nested
    class Register {

        @Test
        void createsOneRuleWithTheExactCronForAUtcSchedule() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * 1-5", "UTC");

            // WHEN
            scheduler.register(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).singleElement().satisfies(rule -> {
                assertThat(rule.name()).isEqualTo(rule(ID, 0));
                assertThat(rule.expression()).isEqualTo("cron(0 9 ? * 2-6 *)");
                assertThat(rule.state()).isEqualTo("ENABLED");
                assertThat(rule.description())
                        .isEqualTo("skyrun schedule " + ID + " of goal goal_01goal: 0 9 * * 1-5 UTC");
            });
        }

        @Test
        void pointsTheRuleAtTheTriggerWithTheRetryPolicyAndDeadLetterQueue() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * 1-5", "UTC");

            // WHEN
            scheduler.register(schedule);

            // THEN
            Map<String, JsonNode> targets = recorder.rule(BUS, rule(ID, 0)).orElseThrow().targets();
            assertThat(targets).containsOnlyKeys("skyrun-trigger");
            JsonNode target = targets.get("skyrun-trigger");
            assertThat(target.path("Arn").asText()).isEqualTo(TARGET_ARN);
            assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(3);
            assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
            assertThat(target.path("DeadLetterConfig").path("Arn").asText()).isEqualTo(DLQ_ARN);
        }

        @Test
        void passesTheScheduleAndTheFireTimeToTheTrigger() throws Exception {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * 1-5", "America/New_York");

            // WHEN
            scheduler.register(schedule);

            // THEN
            JsonNode target = recorder.rule(BUS, rule(ID, 0)).orElseThrow().targets().get("skyrun-trigger");
            assertThat(target.path("InputTransformer").path("InputPathsMap").path("time").asText()).isEqualTo("$.time");
            JsonNode input = json.readTree(target.path("InputTransformer").path("InputTemplate").asText()
                    .replace("<time>", "\"2026-01-05T14:00:00Z\""));
            assertThat(json.convertValue(input, Map.class)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "ownerId", "user_01owner",
                    "goalId", "goal_01goal",
                    "scheduleId", ID,
                    "cronExpr", "0 9 * * 1-5",
                    "timezone", "America/New_York",
                    "time", "2026-01-05T14:00:00Z"));
        }

        @Test
        void escapesQuotesBackslashesAndControlCharactersInTheInput() throws Exception {
            // GIVEN
            String owner = "we\"ird\\owner\n\t\u0001\u2028";
            Schedule schedule = new Schedule(ID, owner, "goal_01goal", "0\t9 * * *", "UTC", true, NOW, null);

            // WHEN
            scheduler.register(schedule);

            // THEN
            JsonNode target = recorder.rule(BUS, rule(ID, 0)).orElseThrow().targets().get("skyrun-trigger");
            JsonNode input = json.readTree(target.path("InputTransformer").path("InputTemplate").asText()
                    .replace("<time>", "\"2026-01-05T14:00:00Z\""));
            assertThat(input.path("ownerId").asText()).isEqualTo(owner);
            assertThat(input.path("cronExpr").asText()).isEqualTo("0\t9 * * *");
        }

        @Test
        void createsTheRulesAwsCronGivesForABerlinSchedule() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin");
            List<String> expected = AwsCron.expressions(CronExpression.parse("0 9 * * *"), ZoneId.of("Europe/Berlin"), NOW);

            // WHEN
            scheduler.register(schedule);

            // THEN
            assertThat(expected).hasSize(2);
            assertThat(recorder.rules(BUS)).extracting(StoredRule::name, StoredRule::expression).containsExactly(
                    tuple(rule(ID, 0), expected.get(0)),
                    tuple(rule(ID, 1), expected.get(1)));
            assertThat(recorder.rules(BUS)).allSatisfy(rule -> assertThat(rule.targets()).containsOnlyKeys("skyrun-trigger"));
        }

        @Test
        void createsDisabledRulesForAnInactiveSchedule() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin").withActive(false, null);

            // WHEN
            scheduler.register(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).hasSize(2).allSatisfy(rule -> assertThat(rule.state()).isEqualTo("DISABLED"));
        }

        @Test
        void createsNoRuleForAnExpressionThatNeverFires() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 0 30 2 *", "UTC");

            // WHEN
            scheduler.register(schedule);

            // THEN
            assertThat(recorder.calls()).isEmpty();
        }

        @Test
        void rejectsARuleNameLongerThanEventBridgeAllowsBeforeAnyCall() {
            // GIVEN a 60-character id, which with the prefix and index makes a 69-character name
            Schedule schedule = schedule("sched_" + "x".repeat(54), "0 9 * * *", "UTC");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.register(schedule))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 64")
                    .hasMessageContaining("rule prefix");
            assertThat(recorder.calls()).isEmpty();
        }

        @Test
        void rejectsAnUnknownTimeZone() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Mars/Olympus_Mons");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.register(schedule))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Mars/Olympus_Mons");
            assertThat(recorder.calls()).isEmpty();
        }
    }

    @Nested
    class PauseAndResume {

        @Test
        void pauseDisablesEveryRuleOfTheScheduleAndNoOther() {
            // GIVEN
            scheduler.register(schedule(ID, "0 9 * * *", "Europe/Berlin"));
            scheduler.register(schedule(OTHER_ID, "0 9 * * *", "Europe/Berlin"));

            // WHEN
            scheduler.pause(schedule(ID, "0 9 * * *", "Europe/Berlin"));

            // THEN
            assertThat(recorder.rules(BUS)).extracting(StoredRule::name, StoredRule::state).containsExactly(
                    tuple(rule(ID, 0), "DISABLED"),
                    tuple(rule(ID, 1), "DISABLED"),
                    tuple(rule(OTHER_ID, 0), "ENABLED"),
                    tuple(rule(OTHER_ID, 1), "ENABLED"));
        }

        @Test
        void pauseFollowsListRulesPagesUntilTheLastOne() {
            // GIVEN three rules, more than one page of the recorder
            Schedule schedule = schedule(ID, "15,45 1-2,9 * * *", "Asia/Kathmandu");
            scheduler.register(schedule);

            // WHEN
            scheduler.pause(schedule);

            // THEN
            List<Call> listings = recorder.calls("ListRules");
            assertThat(listings).hasSize(2);
            assertThat(listings.get(0).body().path("NamePrefix").asText()).isEqualTo(PREFIX + ID + "-");
            assertThat(listings.get(0).body().path("EventBusName").asText()).isEqualTo(BUS);
            assertThat(listings.get(1).body().path("NextToken").asText()).isNotEmpty();
            assertThat(recorder.rules(BUS)).hasSize(3).allSatisfy(rule -> assertThat(rule.state()).isEqualTo("DISABLED"));
        }

        @Test
        void resumeEnablesEveryRuleOfAPausedSchedule() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin");
            scheduler.register(schedule);
            scheduler.pause(schedule);

            // WHEN
            scheduler.resume(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).hasSize(2).allSatisfy(rule -> assertThat(rule.state()).isEqualTo("ENABLED"));
            assertThat(recorder.calls("EnableRule")).extracting(call -> call.body().path("Name").asText())
                    .containsExactly(rule(ID, 0), rule(ID, 1));
        }
    }

    @Nested
    class Remove {

        @Test
        void removesTheTargetBeforeDeletingEachRuleAndLeavesNone() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin");
            scheduler.register(schedule);

            // WHEN
            scheduler.remove(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).isEmpty();
            List<String> deletions = recorder.calls().stream()
                    .filter(c -> c.operation().equals("RemoveTargets") || c.operation().equals("DeleteRule"))
                    .map(c -> c.operation() + " " + c.body().path(c.operation().equals("DeleteRule") ? "Name" : "Rule").asText())
                    .toList();
            assertThat(deletions).containsExactly(
                    "RemoveTargets " + rule(ID, 0), "DeleteRule " + rule(ID, 0),
                    "RemoveTargets " + rule(ID, 1), "DeleteRule " + rule(ID, 1));
            assertThat(recorder.calls("RemoveTargets")).allSatisfy(c ->
                    assertThat(c.body().path("Ids").get(0).asText()).isEqualTo("skyrun-trigger"));
        }

        @Test
        void leavesOtherSchedulesRulesInPlace() {
            // GIVEN
            scheduler.register(schedule(ID, "0 9 * * *", "Europe/Berlin"));
            scheduler.register(schedule(OTHER_ID, "0 9 * * *", "UTC"));

            // WHEN
            scheduler.remove(schedule(ID, "0 9 * * *", "Europe/Berlin"));

            // THEN
            assertThat(ruleNames()).containsExactly(rule(OTHER_ID, 0));
        }

        @Test
        void alsoDeletesARuleThatAnEarlierTzdataLeftBehind() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin");
            scheduler.register(schedule);
            recorder.givenRule(BUS, rule(ID, 2), "cron(0 6 * * ? *)", "skyrun-trigger");

            // WHEN
            scheduler.remove(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).isEmpty();
        }

        @Test
        void ofAnAlreadyRemovedScheduleChangesNothing() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "UTC");
            scheduler.register(schedule);
            scheduler.remove(schedule);

            // WHEN
            scheduler.remove(schedule);

            // THEN
            assertThat(recorder.rules(BUS)).isEmpty();
        }
    }

    @Nested
    class Failures {

        @Test
        void aFailedTargetRaisesSchedulerUnavailableNamingTheFailure() {
            // GIVEN
            recorder.failPutTargetsAfter(0, "ConcurrentModificationException", "try again later");
            Schedule schedule = schedule(ID, "0 9 * * *", "UTC");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.register(schedule))
                    .isInstanceOf(SchedulerUnavailable.class)
                    .hasMessageContaining("PutTargets")
                    .hasMessageContaining(rule(ID, 0))
                    .hasMessageContaining("ConcurrentModificationException")
                    .hasMessageContaining("try again later");
        }

        @Test
        void aFailedRegistrationDeletesTheRulesItAlreadyCreated() {
            // GIVEN the second rule's target fails
            recorder.failPutTargetsAfter(1, "InternalFailure", "boom");
            Schedule schedule = schedule(ID, "0 9 * * *", "Europe/Berlin");

            // WHEN
            assertThatThrownBy(() -> scheduler.register(schedule)).isInstanceOf(SchedulerUnavailable.class);

            // THEN
            assertThat(recorder.calls("PutRule")).hasSize(2);
            assertThat(recorder.rules(BUS)).isEmpty();
        }

        @ParameterizedTest(name = "HTTP {0} {1}")
        @CsvSource({"500, InternalException", "503, ServiceUnavailable"})
        void aRefusedPutRuleRaisesSchedulerUnavailableWithoutCredentials(int status, String errorType) {
            // GIVEN
            recorder.failEvery("PutRule", status, errorType, "EventBridge is having a bad day");
            Schedule schedule = schedule(ID, "0 9 * * *", "UTC");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.register(schedule))
                    .isInstanceOf(SchedulerUnavailable.class)
                    .hasMessageContaining("PutRule")
                    .hasMessageContaining(rule(ID, 0))
                    .hasMessageContaining(errorType)
                    .hasMessageNotContaining(EventBridgeRecorder.ACCESS_KEY)
                    .hasMessageNotContaining(EventBridgeRecorder.SECRET_KEY);
            assertThat(recorder.calls("PutRule")).as("no retries").hasSize(1);
        }

        @Test
        void anUnreachableEventBridgeRaisesSchedulerUnavailable() {
            // GIVEN
            recorder.close();
            Schedule schedule = schedule(ID, "0 9 * * *", "UTC");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.pause(schedule))
                    .isInstanceOf(SchedulerUnavailable.class)
                    .hasMessageContaining("ListRules")
                    .hasMessageContaining(PREFIX + ID + "-");
        }

        @Test
        void aRefusedDisableRuleRaisesSchedulerUnavailable() {
            // GIVEN
            Schedule schedule = schedule(ID, "0 9 * * *", "UTC");
            scheduler.register(schedule);
            recorder.failEvery("DisableRule", 400, "AccessDeniedException", "not allowed");

            // WHEN / THEN
            assertThatThrownBy(() -> scheduler.pause(schedule))
                    .isInstanceOf(SchedulerUnavailable.class)
                    .hasMessageContaining("DisableRule")
                    .hasMessageContaining(rule(ID, 0))
                    .hasMessageContaining("AccessDeniedException");
        }
    }

    @Nested
    class Settings {

        @Test
        void rejectAPrefixThatLeavesNoRoomForTheScheduleId() {
            // WHEN / THEN
            assertThatThrownBy(() -> new EventBridgeSchedulerSettings(BUS, "x".repeat(30), TARGET_ARN, DLQ_ARN, 3, 3600))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 29");
        }

        @Test
        void rejectAPrefixWithCharactersRuleNamesCannotHave() {
            // WHEN / THEN
            assertThatThrownBy(() -> new EventBridgeSchedulerSettings(BUS, "sky run/", TARGET_ARN, DLQ_ARN, 3, 3600))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rulePrefix");
        }

        @ParameterizedTest
        @CsvSource({"-1, 3600", "186, 3600", "3, 59", "3, 86401"})
        void rejectRetryLimitsOutsideWhatEventBridgeAccepts(int attempts, int age) {
            // WHEN / THEN
            assertThatThrownBy(() -> new EventBridgeSchedulerSettings(BUS, PREFIX, TARGET_ARN, DLQ_ARN, attempts, age))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The recorder must fail like EventBridge, or the adapter tests would prove nothing. */
    @Nested
    class Recorder {

        @Test
        void answersAnUnknownRuleWithResourceNotFound() {
            // WHEN / THEN
            assertThatThrownBy(() -> client.describeRule(r -> r.name("nope").eventBusName(BUS)))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("nope");
        }

        @Test
        void refusesToDeleteARuleThatStillHasTargets() {
            // GIVEN
            recorder.givenRule(BUS, "with-target", "cron(0 0 * * ? *)", "t1");

            // WHEN / THEN
            assertThatThrownBy(() -> client.deleteRule(r -> r.name("with-target").eventBusName(BUS)))
                    .isInstanceOfSatisfying(EventBridgeException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
            assertThat(client.listTargetsByRule(r -> r.rule("with-target").eventBusName(BUS)).targets())
                    .extracting(t -> t.id()).containsExactly("t1");
        }
    }
}
