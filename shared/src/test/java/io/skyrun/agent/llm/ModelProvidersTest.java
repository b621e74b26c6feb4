package io.skyrun.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.skyrun.agent.Usage;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.Step;
import io.skyrun.testing.Await;
import io.skyrun.testing.FakeLlm;
import io.skyrun.testing.Goals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Goal runs driven by the real LangChain4j adapters (OpenAI, OpenRouter, Ollama, Bedrock) talking HTTP to a
 * scripted model server on 127.0.0.1: the stored steps, the token counts and the requests the server received.
 */
class ModelProvidersTest {
    static final String KEY = "sk-test-secret-key-123";

    private final FakeLlm llm = new FakeLlm();
    private ApplicationContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        llm.close();
    }

    private ApplicationContext start(String provider, Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("skyrun.model.provider", provider);
        props.put("skyrun.model.retry-backoff", "10ms");
        switch (provider) {
            case "openai" -> {
                props.put("skyrun.model.base-url", llm.url() + "/v1");
                props.put("skyrun.model.api-key", KEY);
                props.put("skyrun.model.name", "gpt-test");
            }
            case "openrouter" -> {
                props.put("skyrun.model.base-url", llm.url() + "/api/v1");
                props.put("skyrun.model.api-key", KEY);
                props.put("skyrun.model.name", "meta-llama/llama-3.1-8b-instruct");
            }
            case "ollama" -> {
                props.put("skyrun.model.base-url", llm.url());
                props.put("skyrun.model.name", "llama3.1");
            }
            case "bedrock" -> {
                props.put("skyrun.model.base-url", llm.url());
                props.put("skyrun.model.name", "anthropic.claude-3-haiku-20240307-v1:0");
            }
            default -> throw new IllegalArgumentException(provider);
        }
        props.putAll(extra);
        context = ApplicationContext.run(props, "test");
        return context;
    }

    private Run runToEnd(String goalJson) {
        Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class), goalJson);
        Run run = context.getBean(RunService.class).trigger("default", goal.id());
        RunRepository runs = context.getBean(RunRepository.class);
        return Await.until("run " + run.id() + " to end", () -> runs.findById(run.id()).orElseThrow(),
                r -> r.status().ended());
    }

    private List<Step> steps(Run run) {
        return context.getBean(RunRepository.class).steps("default", run.id());
    }

    private static final String TOKYO_GOAL = "{\"objective\":\"Tell me the current time in Tokyo\","
            + "\"params\":{\"stepBudget\":5,\"allowedTools\":[\"current_time\"],\"constraints\":{\"tone\":\"brief\"}}}";

    @ParameterizedTest
    @ValueSource(strings = {"openai", "openrouter", "ollama", "bedrock"})
    void aGoalRunsEndToEndThroughTheProviderWithToolCallingAndTokenCounts(String provider) {
        llm.then(FakeLlm.toolCall("I need the time in Tokyo.", "current_time", "{\"timezone\":\"Asia/Tokyo\"}"),
                FakeLlm.answer("It is evening in Tokyo."));
        start(provider, Map.of());

        Run run = runToEnd(TOKYO_GOAL);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.error()).isNull();
        assertThat(run.stepsExecuted()).isEqualTo(2);
        assertThat(run.usage()).isEqualTo(new Usage(130, 30));
        assertThat(run.workingMemory()).containsEntry("summary", "It is evening in Tokyo.");
        List<Step> steps = steps(run);
        assertThat(steps).hasSize(2);
        Step call = steps.get(0);
        assertThat(call.thought()).isEqualTo("I need the time in Tokyo.");
        assertThat(call.toolName()).isEqualTo("current_time");
        assertThat(call.toolInput()).isEqualTo(Map.of("timezone", "Asia/Tokyo"));
        assertThat(call.observation()).contains("Asia/Tokyo");
        assertThat(call.error()).isNull();
        assertThat(call.usage()).isEqualTo(new Usage(50, 10));
        Step last = steps.get(1);
        assertThat(last.toolName()).isNull();
        assertThat(last.observation()).isEqualTo("It is evening in Tokyo.");
        assertThat(last.usage()).isEqualTo(new Usage(80, 20));

        List<FakeLlm.Request> requests = llm.requests();
        assertThat(requests).hasSize(2);
        WireFormat wire = WireFormat.of(provider);
        FakeLlm.Request first = requests.get(0);
        assertThat(wire.toolNames(first.body())).containsExactly("current_time");
        assertThat(wire.text(first.body())).contains("Objective: Tell me the current time in Tokyo")
                .contains("{\"tone\":\"brief\"}").contains("step 1 of at most 5");
        FakeLlm.Request second = requests.get(1);
        assertThat(wire.text(second.body())).contains("step 2 of at most 5");
        assertThat(wire.toolResult(second.body())).contains("Asia/Tokyo");
        switch (provider) {
            case "openai", "openrouter" -> {
                assertThat(first.path()).isEqualTo(provider.equals("openai") ? "/v1/chat/completions" : "/api/v1/chat/completions");
                assertThat(first.header("Authorization")).isEqualTo("Bearer " + KEY);
                assertThat(first.body().path("model").asText())
                        .isEqualTo(provider.equals("openai") ? "gpt-test" : "meta-llama/llama-3.1-8b-instruct");
                if (provider.equals("openrouter")) {
                    assertThat(first.header("X-Title")).isEqualTo("skyrun");
                }
            }
            case "ollama" -> {
                assertThat(first.path()).isEqualTo("/api/chat");
                assertThat(first.body().path("model").asText()).isEqualTo("llama3.1");
                assertThat(first.body().path("stream").asBoolean(true)).isFalse();
            }
            case "bedrock" -> {
                assertThat(first.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
                assertThat(first.header("Authorization")).startsWith("AWS4-HMAC-SHA256");
            }
            default -> throw new IllegalStateException();
        }
    }

    @Test
    void aRateLimitIsRetriedWithBackoffAndTheRunCompletes() {
        llm.then(FakeLlm.failure(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}"),
                FakeLlm.failure(503, "{\"error\":{\"message\":\"overloaded\"}}"),
                FakeLlm.answer("Done after waiting."));
        start("openai", Map.of());

        Run run = runToEnd("{\"objective\":\"Answer without tools please\",\"params\":{\"allowedTools\":[]}}");

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(llm.requests()).hasSize(3);
        assertThat(steps(run)).singleElement().satisfies(s -> assertThat(s.observation()).isEqualTo("Done after waiting."));
        assertThat(llm.requests().get(0).body().has("tools")).isFalse();
    }

    @Test
    void aProviderThatKeepsRefusingFailsTheRunAfterTheRetriesWithoutShowingTheKey() {
        String refusal = "{\"error\":{\"message\":\"Rate limit reached for key " + KEY + "\"}}";
        llm.then(FakeLlm.failure(429, refusal), FakeLlm.failure(429, refusal), FakeLlm.failure(429, refusal));
        start("openai", Map.of("skyrun.model.max-retries", 2));

        Run run = runToEnd("{\"objective\":\"Answer without tools please\",\"params\":{\"allowedTools\":[]}}");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).startsWith("Model error: rate limited by openai after 3 attempts")
                .doesNotContain(KEY).contains("***");
        assertThat(llm.requests()).hasSize(3);
    }

    @Test
    void anAuthenticationErrorIsNotRetried() {
        llm.then(FakeLlm.failure(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
        start("openai", Map.of());

        Run run = runToEnd("{\"objective\":\"Answer without tools please\",\"params\":{\"allowedTools\":[]}}");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).startsWith("Model error: openai call failed (AuthenticationException)")
                .contains("Incorrect API key");
        assertThat(llm.requests()).hasSize(1);
    }

    @Test
    void aToolErrorAndADisallowedToolBecomeObservationsTheModelSees() {
        llm.then(FakeLlm.toolCall(null, "current_time", "{\"timezone\":\"Mars/Olympus\"}"),
                FakeLlm.toolCall("Let me read a page instead.", "web_scrape", "{\"url\":\"https://example.com\"}"),
                FakeLlm.toolCall(null, "current_time", "not json at all"),
                FakeLlm.answer("I could not find out."));
        start("openai", Map.of());

        Run run = runToEnd(TOKYO_GOAL);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        List<Step> steps = steps(run);
        assertThat(steps).extracting(Step::toolName).containsExactly("current_time", "web_scrape", "current_time", null);
        assertThat(steps.get(0).thought()).isEqualTo("Calling current_time.");
        assertThat(steps.get(0).error()).contains("Mars/Olympus");
        assertThat(steps.get(1).error()).isEqualTo("Tool 'web_scrape' is not allowed for this goal");
        assertThat(steps.get(2).toolInput()).isEqualTo(Map.of("invalidArguments", "not json at all"));
        // the second request carries the first call and its error as a tool message
        JsonNode messages = llm.requests().get(1).body().path("messages");
        JsonNode tool = StreamSupport.stream(messages.spliterator(), false)
                .filter(m -> m.path("role").asText().equals("tool")).findFirst().orElseThrow();
        assertThat(tool.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(tool.path("content").asText()).startsWith("Error: ").contains("Mars/Olympus");
    }

    @Test
    void theStepBudgetEndsARunThatNeverAnswers() {
        llm.then(FakeLlm.toolCall(null, "current_time", "{}"), FakeLlm.toolCall(null, "current_time", "{}"));
        start("openai", Map.of());

        Run run = runToEnd("{\"objective\":\"Keep checking the time forever\",\"params\":{\"stepBudget\":2,"
                + "\"allowedTools\":[\"current_time\"]}}");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("Step budget exhausted: used all 2 steps without a final answer");
        assertThat(run.usage()).isEqualTo(new Usage(100, 20));
        assertThat(WireFormat.of("openai").text(llm.requests().get(1).body())).contains("It is the last step");
    }

    @Test
    void aRunDeletedWhileItRunsProducesNoOutputs() throws Exception {
        try (io.skyrun.testing.FakeSmtp smtp = new io.skyrun.testing.FakeSmtp()) {
            start("openai", Map.of("skyrun.outputs.smtp-host", "127.0.0.1", "skyrun.outputs.smtp-port", smtp.port(),
                    "skyrun.outputs.smtp-start-tls", false, "skyrun.outputs.email-from", "skyrun@example.com",
                    "skyrun.outputs.email-allowed-recipients", "ops@example.com"));
            Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                    "{\"objective\":\"Report the time by mail\",\"params\":{\"allowedTools\":[\"current_time\"],"
                            + "\"outputs\":[{\"kind\":\"email\",\"to\":\"ops@example.com\"},{\"kind\":\"file\"}]}}");
            RunService service = context.getBean(RunService.class);
            java.util.concurrent.atomic.AtomicReference<String> runId = new java.util.concurrent.atomic.AtomicReference<>();
            // the owner deletes the run while the model is asked; the model then fails, which ends the run
            // without storing a step: only the check before the outputs stops a "run failed" mail
            llm.onRequest(() -> service.delete("default", runId.get()))
                    .then(FakeLlm.failure(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));

            runId.set(service.trigger("default", goal.id()).id());
            Await.until("the model call", llm::requests, r -> r.size() >= 1);
            Thread.sleep(500); // room for a wrong mail or file to appear

            assertThat(context.getBean(RunRepository.class).findById(runId.get())).isEmpty();
            assertThat(smtp.mails()).isEmpty();
            assertThat(context.getBean(io.skyrun.outputs.FileStore.class).list("default", goal.id(), runId.get())).isEmpty();
        }
    }

    @Test
    void aRateLimitWithNoTimeLeftBeforeTheInvocationsDeadlineYieldsTheRunInsteadOfFailingIt() {
        llm.then(FakeLlm.failure(429, "{\"error\":{\"message\":\"Rate limit reached\"}}"), FakeLlm.answer("Later."));
        start("openai", Map.of("skyrun.agent.step-reserve", "10s", "skyrun.worker.sweep-interval", "1h"));
        Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                "{\"objective\":\"Answer when the model has room\",\"params\":{\"allowedTools\":[]}}");
        RunRepository runs = context.getBean(RunRepository.class);
        Run pending = new Run(io.skyrun.ids.Ids.run(), "default", goal.id(), RunStatus.PENDING, null, null,
                new LinkedHashMap<>(), 5, 0, null, java.time.Instant.now());
        runs.create(pending);
        io.skyrun.runs.RunExecutor executor = context.getBean(io.skyrun.runs.RunExecutor.class);

        // 30 s left: the step starts, but a retry after the 429 could take the 60 s call timeout
        io.skyrun.runs.RunExecutor.Outcome first = executor.execute(pending.id(), java.time.Instant.now().plusSeconds(30));
        Run yielded = runs.findById(pending.id()).orElseThrow();
        io.skyrun.runs.RunExecutor.Outcome second = executor.execute(pending.id());

        assertThat(first).isEqualTo(io.skyrun.runs.RunExecutor.Outcome.YIELDED);
        assertThat(yielded.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(yielded.error()).isNull();
        assertThat(yielded.stepsExecuted()).isZero();
        assertThat(second).isEqualTo(io.skyrun.runs.RunExecutor.Outcome.EXECUTED);
        assertThat(runs.findById(pending.id()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(llm.requests()).hasSize(2);
    }

    @Test
    void aLaterRunOfTheGoalSeesWhatAnEarlierRunKeptInMemory() {
        llm.then(FakeLlm.toolCall("Remember the office city.", "memory_write",
                        "{\"type\":\"fact\",\"key\":\"office.city\",\"content\":\"The office is in Osaka.\"}"),
                FakeLlm.answer("Noted."),
                FakeLlm.toolCall(null, "memory_read", "{\"key\":\"office.city\"}"),
                FakeLlm.answer("The office is in Osaka."));
        start("openai", Map.of());
        GoalService goals = context.getBean(GoalService.class);
        Goal goal = Goals.create(goals, context.getBean(GoalRequests.class), "{\"objective\":\"Track where the office is\","
                + "\"params\":{\"allowedTools\":[\"memory_write\",\"memory_read\"]}}");
        RunRepository runs = context.getBean(RunRepository.class);
        RunService service = context.getBean(RunService.class);

        Run first = service.trigger("default", goal.id());
        Await.until("first run to end", () -> runs.findById(first.id()).orElseThrow(), r -> r.status().ended());
        Run second = service.trigger("default", goal.id());
        Run ended = Await.until("second run to end", () -> runs.findById(second.id()).orElseThrow(),
                r -> r.status().ended());

        assertThat(ended.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(steps(first).get(0).observation()).isEqualTo("Saved fact 'office.city' (23 characters).");
        assertThat(context.getBean(io.skyrun.memory.MemoryService.class).find("default", goal.id(), "office.city"))
                .hasValueSatisfying(e -> {
                    assertThat(e.content()).isEqualTo("The office is in Osaka.");
                    assertThat(e.runId()).isEqualTo(first.id());
                });
        // the second run's first prompt carries the memory, and memory_read returns the entry in full
        assertThat(WireFormat.of("openai").text(llm.requests().get(2).body()))
                .contains("[fact] office.city: The office is in Osaka.");
        assertThat(WireFormat.of("openai").text(llm.requests().get(0).body())).doesNotContain("Memory of this goal");
        assertThat(steps(ended).get(0).observation()).isEqualTo("[fact] office.city:\nThe office is in Osaka.");
    }

    @Test
    void aBadMemoryWriteIsAnObservationNotACrash() {
        llm.then(FakeLlm.toolCall(null, "memory_write", "{\"type\":\"secret\",\"key\":\"k\",\"content\":\"x\"}"),
                FakeLlm.toolCall(null, "memory_write", "{\"type\":\"note\",\"key\":\"../etc\",\"content\":\"x\"}"),
                FakeLlm.answer("Gave up."));
        start("openai", Map.of());

        Run run = runToEnd("{\"objective\":\"Write strange memory entries\",\"params\":{\"allowedTools\":[\"memory_write\"]}}");

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(steps(run)).extracting(Step::error).containsExactly(
                "type must be one of: note, fact, artifact",
                "key must be 1-100 letters, digits, '_', '.', ':' or '-', starting with a letter or digit", null);
    }

    /** Where each wire format keeps tool names, prompt text and tool results. */
    enum WireFormat {
        OPENAI, OLLAMA, BEDROCK;

        static WireFormat of(String provider) {
            return switch (provider) {
                case "ollama" -> OLLAMA;
                case "bedrock" -> BEDROCK;
                default -> OPENAI;
            };
        }

        List<String> toolNames(JsonNode body) {
            JsonNode tools = this == BEDROCK ? body.path("toolConfig").path("tools") : body.path("tools");
            return StreamSupport.stream(tools.spliterator(), false)
                    .map(t -> this == BEDROCK ? t.path("toolSpec").path("name").asText() : t.path("function").path("name").asText())
                    .toList();
        }

        /** All prompt text of the request, system and messages together. */
        String text(JsonNode body) {
            return body.toString().replace("\\\"", "\"");
        }

        String toolResult(JsonNode body) {
            JsonNode messages = body.path("messages");
            for (JsonNode m : messages) {
                if (this == BEDROCK) {
                    for (JsonNode c : m.path("content")) {
                        if (c.has("toolResult")) {
                            return c.path("toolResult").toString();
                        }
                    }
                } else if (m.path("role").asText().equals("tool")) {
                    return m.path("content").asText();
                }
            }
            return "";
        }
    }
}
