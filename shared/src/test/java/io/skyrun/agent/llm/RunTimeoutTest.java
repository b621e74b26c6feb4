package io.skyrun.agent.llm;

import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Await;
import io.skyrun.testing.FakeLlm;
import io.skyrun.testing.Goals;
import io.skyrun.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The run timeout ends a run whose model is slow; the model's slowness is simulated on an injected clock. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunTimeoutTest implements TestPropertyProvider {
    // static: @MockBean factories may be called on another test instance than the running one
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private static final FakeLlm llm = new FakeLlm();

    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    RunService runs;
    @Inject
    RunRepository repository;

    @MockBean(Clock.class)
    Clock clock() {
        return clock;
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of("skyrun.model.provider", "openai", "skyrun.model.api-key", "sk-timeout-test",
                "skyrun.model.base-url", llm.url() + "/v1", "skyrun.agent.run-timeout", "90s");
    }

    @AfterAll
    void stop() {
        llm.close();
    }

    @Test
    void aRunWhoseModelTakesTooLongFailsWithTheTimeoutAfterTheStepsItFinished() {
        // every model call takes a minute; the run may take 90 s: two steps fit, the third does not start
        llm.onRequest(() -> clock.advance(Duration.ofMinutes(1)))
                .then(FakeLlm.toolCall(null, "current_time", "{}"), FakeLlm.toolCall(null, "current_time", "{}"),
                        FakeLlm.answer("never asked"));
        Goal goal = Goals.create(goals, requests, "{\"objective\":\"Take your time with this one\","
                + "\"params\":{\"stepBudget\":10,\"allowedTools\":[\"current_time\"]}}");

        Run run = runs.trigger("default", goal.id());
        Run ended = Await.until("run to end", () -> repository.findById(run.id()).orElseThrow(), r -> r.status().ended());

        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.error()).isEqualTo("Run timed out after 90s (2 steps)");
        assertThat(ended.stepsExecuted()).isEqualTo(2);
        assertThat(llm.requests()).hasSize(2);
    }
}
