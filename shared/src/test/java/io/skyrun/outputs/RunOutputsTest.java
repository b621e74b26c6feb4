package io.skyrun.outputs;

import io.micronaut.context.ApplicationContext;
import io.skyrun.errors.BadRequest;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.FakeSmtp;
import io.skyrun.testing.Goals;
import io.skyrun.testing.Receiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File and email outputs at the end of a run: local files, SMTP to a server on 127.0.0.1, SES to a local endpoint. */
class RunOutputsTest {
    @TempDir
    Path files;

    private ApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("skyrun.outputs.files-dir", files.toString());
        props.put("skyrun.outputs.email-allowed-recipients", "@example.com");
        props.putAll(extra);
        return ApplicationContext.run(props, "test");
    }

    private static Run runToEnd(ApplicationContext context, Goal goal) {
        Run run = context.getBean(RunService.class).trigger("default", goal.id());
        RunRepository runs = context.getBean(RunRepository.class);
        return Await.until("run to end", () -> runs.findById(run.id()).orElseThrow(), r -> r.status().ended());
    }

    private static final String OUTPUT_GOAL = "{\"objective\":\"Tell the time for the morning report\","
            + "\"params\":{\"allowedTools\":[\"current_time\"],\"outputs\":[{\"kind\":\"summary\"},"
            + "{\"kind\":\"file\",\"name\":\"report.md\"},{\"kind\":\"email\",\"to\":[\"ops@example.com\",\"lead@example.com\"]},"
            + "{\"kind\":\"webhook\"}]}}";

    @Test
    @SuppressWarnings("unchecked")
    void aCompletedRunStoresItsFileAndMailsItsResult() {
        try (FakeSmtp smtp = new FakeSmtp();
             ApplicationContext context = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                     "skyrun.outputs.smtp-port", smtp.port(), "skyrun.outputs.smtp-start-tls", false,
                     "skyrun.outputs.email-from", "skyrun@example.com"))) {
            Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class), OUTPUT_GOAL);

            Run run = runToEnd(context, goal);

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            String summary = (String) run.workingMemory().get("summary");
            List<Map<String, Object>> outputs = (List<Map<String, Object>>) run.workingMemory().get("outputs");
            assertThat(outputs).extracting(o -> o.get("kind") + ":" + o.get("status"))
                    .containsExactly("summary:stored", "file:stored", "email:sent", "webhook:skipped");
            assertThat(outputs.get(1)).containsEntry("path", "/api/v1/runs/" + run.id() + "/files/report.md");
            FileStore store = context.getBean(FileStore.class);
            assertThat(store.read("default", goal.id(), run.id(), "report.md"))
                    .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(summary));
            assertThat(store.list("default", goal.id(), run.id())).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("report.md");
                assertThat(f.contentType()).startsWith("text/markdown");
                assertThat(f.size()).isEqualTo(summary.getBytes(StandardCharsets.UTF_8).length);
            });
            assertThat(smtp.mails()).singleElement().satisfies(mail -> {
                assertThat(mail.from()).isEqualTo("skyrun@example.com");
                assertThat(mail.to()).containsExactly("ops@example.com", "lead@example.com");
                assertThat(mail.data()).contains("Subject: [skyrun] Run completed: Tell the time for the morning report")
                        .contains("Run: " + run.id());
            });

            // deleting the goal takes its files along
            context.getBean(GoalService.class).delete("default", goal.id());
            assertThat(store.list("default", goal.id(), run.id())).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnreachableMailServerFailsTheOutputNotTheRun() {
        try (ApplicationContext context = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                "skyrun.outputs.smtp-port", 1, "skyrun.outputs.smtp-start-tls", false,
                "skyrun.outputs.email-from", "skyrun@example.com", "skyrun.outputs.mail-timeout", "2s"))) {
            Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                    "{\"objective\":\"Mail a result nobody receives\",\"params\":{\"allowedTools\":[],"
                            + "\"outputs\":[{\"kind\":\"email\",\"to\":\"ops@example.com\"}]}}");

            Run run = runToEnd(context, goal);

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            Map<String, Object> email = ((List<Map<String, Object>>) run.workingMemory().get("outputs")).get(0);
            assertThat(email).containsEntry("status", "failed");
            assertThat((String) email.get("error")).startsWith("SMTP: ").containsIgnoringCase("connect");
        }
    }

    @Test
    void emailOutputsAreRefusedWhileNoTransportIsConfigured() {
        try (ApplicationContext context = start(Map.of())) {
            GoalRequests requests = context.getBean(GoalRequests.class);

            assertThatThrownBy(() -> requests.create("{\"objective\":\"Mail me the result please\","
                    + "\"params\":{\"outputs\":[{\"kind\":\"email\",\"to\":\"me@example.com\"}]}}"))
                    .isInstanceOf(BadRequest.class)
                    .hasMessage("params.outputs[0]: email outputs need a mail transport: set SKYRUN_SMTP_HOST (SMTP) "
                            + "or SKYRUN_EMAIL=ses (Amazon SES)");
            assertThatThrownBy(() -> requests.create("{\"objective\":\"Write a file somewhere bad\","
                    + "\"params\":{\"outputs\":[{\"kind\":\"file\",\"name\":\"../../etc/passwd\"}]}}"))
                    .isInstanceOf(BadRequest.class).hasMessageStartingWith("params.outputs[0].name must be");
            assertThatThrownBy(() -> requests.create("{\"objective\":\"Unknown output kind here\","
                    + "\"params\":{\"outputs\":[{\"kind\":\"fax\"}]}}"))
                    .isInstanceOf(BadRequest.class).hasMessage("params.outputs[0].kind must be one of: summary, file, webhook, email");
            assertThatThrownBy(() -> requests.create("{\"objective\":\"Outputs must be an array\","
                    + "\"params\":{\"outputs\":{\"kind\":\"file\"}}}"))
                    .isInstanceOf(BadRequest.class).hasMessageStartingWith("params.outputs must be an array");
        }
    }

    @Test
    void emailOutputsGoOnlyToAllowedRecipients() {
        try (ApplicationContext none = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                "skyrun.outputs.email-from", "skyrun@example.com", "skyrun.outputs.email-allowed-recipients", ""));
             ApplicationContext some = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                     "skyrun.outputs.email-from", "skyrun@example.com",
                     "skyrun.outputs.email-allowed-recipients", "boss@corp.test, @example.com"));
             ApplicationContext any = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                     "skyrun.outputs.email-from", "skyrun@example.com", "skyrun.outputs.email-allowed-recipients", "*"))) {
            String goal = "{\"objective\":\"Mail the result to someone\",\"params\":{\"outputs\":"
                    + "[{\"kind\":\"email\",\"to\":[%s]}]}}";

            assertThatThrownBy(() -> none.getBean(GoalRequests.class).create(goal.formatted("\"ops@example.com\"")))
                    .isInstanceOf(BadRequest.class).hasMessage("params.outputs[0]: email outputs need "
                            + "SKYRUN_EMAIL_ALLOWED_RECIPIENTS: the addresses or @domains they may go to (* for any)");
            assertThatThrownBy(() -> some.getBean(GoalRequests.class)
                    .create(goal.formatted("\"ops@example.com\", \"intruder@elsewhere.test\"")))
                    .isInstanceOf(BadRequest.class)
                    .hasMessage("params.outputs[0].to: intruder@elsewhere.test is not in SKYRUN_EMAIL_ALLOWED_RECIPIENTS");
            assertThat(some.getBean(GoalRequests.class).create(goal.formatted("\"Boss@Corp.test\", \"x@example.com\"")))
                    .isNotNull();
            assertThatThrownBy(() -> some.getBean(GoalRequests.class).create(goal.formatted("\"other@corp.test\"")))
                    .isInstanceOf(BadRequest.class);
            assertThat(any.getBean(GoalRequests.class).create(goal.formatted("\"anyone@elsewhere.test\""))).isNotNull();
        }
    }

    @Test
    void emailRecipientsAreChecked() {
        try (ApplicationContext context = start(Map.of("skyrun.outputs.smtp-host", "127.0.0.1",
                "skyrun.outputs.email-from", "skyrun@example.com"))) {
            GoalRequests requests = context.getBean(GoalRequests.class);
            for (String to : List.of("\"not-an-address\"", "[]", "\"a@b.c\\r\\nBcc: x@y.zz\"", "42", "\"a;b@example.com\"",
                    "\"a(b@example.com\"")) {
                assertThatThrownBy(() -> requests.create("{\"objective\":\"Mail a bad recipient\","
                        + "\"params\":{\"outputs\":[{\"kind\":\"email\",\"to\":" + to + "}]}}"))
                        .as(to).isInstanceOf(BadRequest.class)
                        .hasMessage("params.outputs[0].to must be an email address or an array of 1-10 addresses");
            }
        }
    }

    @Test
    void sesSendsThroughTheSesApi() throws Exception {
        try (Receiver ses = new Receiver();
             ApplicationContext context = start(Map.of("skyrun.outputs.email", "ses",
                     "skyrun.outputs.email-from", "skyrun@example.com", "skyrun.aws.ses-endpoint", ses.url("")))) {
            Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                    "{\"objective\":\"Mail the result through SES\",\"params\":{\"allowedTools\":[],"
                            + "\"outputs\":[{\"kind\":\"email\",\"to\":\"ops@example.com\"}]}}");

            Run run = runToEnd(context, goal);

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            Receiver.Received call = ses.received().get(0);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/v2/email/outbound-emails");
            assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256");
            var body = Api.JSON.readTree(call.body());
            assertThat(body.path("FromEmailAddress").asText()).isEqualTo("skyrun@example.com");
            assertThat(body.path("Destination").path("ToAddresses").get(0).asText()).isEqualTo("ops@example.com");
            assertThat(body.path("Content").path("Simple").path("Subject").path("Data").asText())
                    .isEqualTo("[skyrun] Run completed: Mail the result through SES");
        }
    }
}
