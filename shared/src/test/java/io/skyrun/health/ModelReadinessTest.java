package io.skyrun.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.Goals;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health/ready} reports the configured provider and model, and 503 with the reason when it is misconfigured. */
class ModelReadinessTest {
    private static final String KEY = "sk-readiness-secret-987";

    private static JsonNode ready(Map<String, Object> props, int expectedStatus) {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            Api.Response response = new Api(server.getURI()).get("/health/ready");
            assertThat(response.status()).isEqualTo(expectedStatus);
            assertThat(response.body()).doesNotContain(KEY);
            return response.json();
        }
    }

    @Test
    void aConfiguredProviderIsReportedWithItsDefaultModel() {
        JsonNode openai = ready(Map.of("skyrun.model.provider", "openai", "skyrun.model.api-key", KEY), 200);
        JsonNode ollama = ready(Map.of("skyrun.model.provider", "ollama", "skyrun.model.name", "qwen2.5:7b"), 200);

        assertThat(openai.path("status").asText()).isEqualTo("ready");
        assertThat(openai.path("provider").asText()).isEqualTo("openai");
        assertThat(openai.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(ollama.path("provider").asText()).isEqualTo("ollama");
        assertThat(ollama.path("model").asText()).isEqualTo("qwen2.5:7b");
    }

    @Test
    void aMissingKeyAnswers503WithTheReason() {
        JsonNode openrouter = ready(Map.of("skyrun.model.provider", "openrouter"), 503);

        assertThat(openrouter.path("status").asText()).isEqualTo("not_ready");
        assertThat(openrouter.path("provider").asText()).isEqualTo("openrouter");
        assertThat(openrouter.path("error").asText())
                .isEqualTo("provider openrouter needs an API key: set SKYRUN_MODEL_API_KEY");
        assertThat(openrouter.path("scheduler").path("activeSchedules").isNumber()).isTrue();
    }

    @Test
    void anUnknownProviderOrABadBaseUrlAnswers503() {
        JsonNode unknown = ready(Map.of("skyrun.model.provider", "gpt"), 503);
        JsonNode badUrl = ready(Map.of("skyrun.model.provider", "openai", "skyrun.model.api-key", KEY,
                "skyrun.model.base-url", "ftp://models.example"), 503);

        assertThat(unknown.path("error").asText())
                .isEqualTo("SKYRUN_MODEL_PROVIDER must be one of offline, openai, openrouter, ollama, bedrock (was 'gpt')");
        assertThat(unknown.path("provider").asText()).isEqualTo("gpt");
        assertThat(badUrl.path("error").asText()).isEqualTo("SKYRUN_MODEL_BASE_URL must be an http(s) URL");
    }

    @Test
    void runsOnAMisconfiguredProviderFailWithTheReason() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("skyrun.model.provider", "openai"), "test")) {
            Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                    "{\"objective\":\"Cannot run without a key\"}");
            Run run = context.getBean(RunService.class).trigger("default", goal.id());
            RunRepository runs = context.getBean(RunRepository.class);

            Run ended = Await.until("run to end", () -> runs.findById(run.id()).orElseThrow(), r -> r.status().ended());

            assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
            assertThat(ended.error()).isEqualTo("Model error: model provider is misconfigured: "
                    + "provider openai needs an API key: set SKYRUN_MODEL_API_KEY");
        }
    }
}
