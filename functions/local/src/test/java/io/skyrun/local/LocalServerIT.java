package io.skyrun.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end: the built jar started as a process on 127.0.0.1 and driven over HTTP, then restarted. */
class LocalServerIT {
    private static final Pattern RUNNING = Pattern.compile("Server Running: (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dataDir;

    private Process process;

    private Api start() throws Exception {
        Path jar = Path.of(System.getProperty("skyrun.jar", "target/skyrun-local.jar"));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true);
        builder.environment().put("MICRONAUT_SERVER_PORT", "-1");
        builder.environment().put("SKYRUN_DATA_DIR", dataDir.toString());
        builder.environment().remove("SKYRUN_DB_URL");
        process = builder.start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[server] " + line);
                    Matcher m = RUNNING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("server exited before it was running"));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Api(url.get(60, TimeUnit.SECONDS));
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        stop();
    }

    @Test
    void theJarServesTheWholeApiAndKeepsItsDataAcrossARestart() throws Exception {
        Api api = start();

        assertThat(api.get("/health").json().path("status").asText()).isEqualTo("ok");
        JsonNode ready = api.get("/health/ready").json();
        assertThat(ready.path("provider").asText()).isEqualTo("offline");
        assertThat(ready.path("scheduler").path("activeSchedules").asInt()).isZero();

        JsonNode goal = api.createGoal("""
                {"objective": "Tell me the time in Tokyo every morning",
                 "params": {"stepBudget": 5, "allowedTools": ["current_time"], "constraints": {"timezone": "Asia/Tokyo"}},
                 "schedule": {"cronExpr": "0 8 * * *", "timezone": "Asia/Tokyo"}}""");
        String goalId = goal.path("id").asText();
        assertThat(api.get("/health/ready").json().path("scheduler").path("activeSchedules").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/goals").json().get(0).path("id").asText()).isEqualTo(goalId);
        assertThat(api.get("/api/v1/goals/" + goalId).json().path("schedules").get(0).path("cronExpr").asText())
                .isEqualTo("0 8 * * *");

        String runId = api.send("POST", "/api/v1/goals/" + goalId + "/run", null, null).json().path("runId").asText();
        JsonNode run = Await.until("the run to end", () -> api.get("/api/v1/runs/" + runId).json(),
                r -> List.of("completed", "failed").contains(r.path("status").asText()));
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("goal").path("id").asText()).isEqualTo(goalId);
        JsonNode steps = api.get("/api/v1/runs/" + runId + "/steps").json();
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("observation").asText()).contains("Asia/Tokyo");
        assertThat(api.get("/api/v1/runs?goalId=" + goalId + "&status=completed").json()).hasSize(1);

        assertThat(api.post("/api/v1/goals/" + goalId + "/pause", "{}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/goals/" + goalId + "/run", "{}").error()).isEqualTo("Goal is paused");
        assertThat(api.patch("/api/v1/goals/" + goalId, "{\"objective\":\"Tell me the time in Osaka\"}").status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/goals", "{\"objective\":\"short\"}").status()).isEqualTo(400);
        assertThat(api.get("/openapi.json").json().path("paths").has("/api/v1/runs/{id}/steps")).isTrue();
        assertThat(api.get("/docs").status()).isEqualTo(200);

        stop();
        assertThat(Files.list(dataDir)).isNotEmpty();
        Api again = start();

        JsonNode kept = again.get("/api/v1/goals/" + goalId).json();
        assertThat(kept.path("objective").asText()).isEqualTo("Tell me the time in Osaka");
        assertThat(kept.path("status").asText()).isEqualTo("paused");
        assertThat(again.get("/api/v1/runs/" + runId + "/steps").json()).hasSize(2);
        assertThat(again.post("/api/v1/goals/" + goalId + "/resume", null).status()).isEqualTo(200);
        assertThat(again.delete("/api/v1/runs/" + runId).status()).isEqualTo(204);
        assertThat(again.delete("/api/v1/goals/" + goalId).status()).isEqualTo(204);
        assertThat(again.get("/api/v1/goals/" + goalId).status()).isEqualTo(404);
        assertThat(again.get("/health/ready").json().path("scheduler").path("activeSchedules").asInt()).isZero();
    }
}
