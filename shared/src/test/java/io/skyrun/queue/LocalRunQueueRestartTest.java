package io.skyrun.queue;

import io.micronaut.context.ApplicationContext;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.ids.Ids;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Await;
import io.skyrun.testing.Goals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local worker is durable: a server started on the same data folder finishes what the last one left. */
class LocalRunQueueRestartTest {
    @TempDir
    Path dataDir;

    private ApplicationContext server() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("skyrun.db-url", "");
        props.put("skyrun.data-dir", dataDir.toString());
        props.put("micronaut.server.port", -1);
        return ApplicationContext.run(props, "test");
    }

    @Test
    void aRestartedServerExecutesPendingRunsAndContinuesRunsWhoseWorkerDied() {
        String goalId;
        String pendingId = Ids.run();
        String interruptedId = Ids.run();
        try (ApplicationContext first = server()) {
            Goal goal = Goals.create(first.getBean(GoalService.class), first.getBean(GoalRequests.class),
                    "{\"objective\":\"Tell the time after a restart\",\"params\":{\"allowedTools\":[\"current_time\"]}}");
            goalId = goal.id();
            RunRepository runs = first.getBean(RunRepository.class);
            // as a crash leaves them: one run stored but never handed to a worker, one claimed by a worker
            // whose lease has run out
            runs.create(new Run(pendingId, "default", goalId, RunStatus.PENDING, null, null, new LinkedHashMap<>(),
                    5, 0, null, Instant.now()));
            runs.create(new Run(interruptedId, "default", goalId, RunStatus.PENDING, null, null, new LinkedHashMap<>(),
                    5, 0, null, Instant.now()));
            Instant past = Instant.now().minusSeconds(300);
            assertThat(runs.claim(interruptedId, past, past.plusSeconds(60))).isTrue();
        }

        try (ApplicationContext second = server()) {
            RunRepository runs = second.getBean(RunRepository.class);

            Run resumed = Await.until("the pending run to finish", () -> runs.findById(pendingId).orElseThrow(),
                    r -> r.status().ended());
            Run interrupted = Await.until("the interrupted run to finish",
                    () -> runs.findById(interruptedId).orElseThrow(), r -> r.status().ended());

            assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(runs.steps("default", pendingId)).hasSize(2);
            assertThat(interrupted.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(runs.steps("default", interruptedId)).hasSize(2);
            assertThat(second.getBean(RunService.class).list("default", goalId, null, PageRequest.first(50)).items()).hasSize(2);
        }
    }
}
