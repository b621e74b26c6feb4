package io.skyrun.runs;

import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.agent.AgentContext;
import io.skyrun.agent.AgentDecision;
import io.skyrun.agent.AgentModel;
import io.skyrun.agent.OfflineModel;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.queue.RunQueue;
import io.skyrun.testing.Goals;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's execution of one run, with a queue that only records so each test drives execution itself. */
@MicronautTest(transactional = false)
class RunExecutorTest {
    // static: @MockBean factories may be called on another test instance than the running one
    private static final List<String> queued = new CopyOnWriteArrayList<>();
    private static volatile Function<AgentContext, AgentDecision> script;

    @Inject
    RunExecutor executor;
    @Inject
    RunService runs;
    @Inject
    RunRepository repository;
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;

    @MockBean(RunQueue.class)
    RunQueue recordingQueue() {
        return queued::add;
    }

    @MockBean(AgentModel.class)
    AgentModel scriptedModel() {
        OfflineModel offline = new OfflineModel();
        return new AgentModel() {
            @Override
            public String provider() {
                return "offline";
            }

            @Override
            public String model() {
                return "scripted";
            }

            @Override
            public AgentDecision decide(AgentContext context) {
                Function<AgentContext, AgentDecision> s = script;
                return s == null ? offline.decide(context) : s.apply(context);
            }
        };
    }

    @BeforeEach
    void reset() {
        script = null;
        queued.clear();
    }

    private Goal goal(String params) {
        return Goals.create(goals, requests, "{\"objective\":\"Report the current time in Berlin\",\"params\":" + params + "}");
    }

    @Test
    void aTriggeredRunIsStoredPendingAndQueued() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");

        Run run = runs.trigger("default", goal.id());

        assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        assertThat(queued).containsExactly(run.id());
        assertThat(repository.findById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
    }

    @Test
    void aRunGoesFromPendingThroughRunningToCompletedWithItsSteps() throws Exception {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"],\"constraints\":{\"timezone\":\"Europe/Berlin\"}}");
        Run run = runs.trigger("default", goal.id());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OfflineModel offline = new OfflineModel();
        script = context -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return offline.decide(context);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<RunExecutor.Outcome> outcome = pool.submit(() -> executor.execute(run.id()));

        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        Run running = repository.findById(run.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.endedAt()).isNull();
        release.countDown();
        script = null;

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(RunExecutor.Outcome.EXECUTED);
        pool.shutdown();
        Run done = repository.findById(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.endedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(done.error()).isNull();
        List<Step> steps = repository.steps("default", run.id());
        assertThat(steps).extracting(Step::stepNo).containsExactly(1, 2);
        assertThat(steps.get(0).toolName()).isEqualTo("current_time");
        assertThat(steps.get(0).toolInput()).containsEntry("timezone", "Europe/Berlin");
        assertThat(steps.get(0).observation()).contains("Europe/Berlin");
        assertThat(steps.get(1).toolName()).isNull();
        assertThat(steps.get(1).observation()).contains("current_time");
        assertThat(done.stepsExecuted()).isEqualTo(2);
        assertThat(done.workingMemory()).containsKey("summary").containsEntry("lastTool", "current_time");
    }

    @Test
    void twoWorkersRacingOnOneRunExecuteItOnce() throws Exception {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<RunExecutor.Outcome>> outcomes = List.of(
                pool.submit(() -> { start.await(); return executor.execute(run.id()); }),
                pool.submit(() -> { start.await(); return executor.execute(run.id()); }));

        start.countDown();

        List<RunExecutor.Outcome> results = List.of(outcomes.get(0).get(10, TimeUnit.SECONDS),
                outcomes.get(1).get(10, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(results).contains(RunExecutor.Outcome.EXECUTED);
        assertThat(results).filteredOn(o -> o != RunExecutor.Outcome.EXECUTED)
                .hasSize(1).allMatch(o -> o == RunExecutor.Outcome.BUSY || o == RunExecutor.Outcome.ALREADY_ENDED);
        assertThat(repository.steps("default", run.id())).hasSize(2);
        assertThat(repository.findById(run.id()).orElseThrow().stepsExecuted()).isEqualTo(2);
    }

    @Test
    void aRunThatIsDeliveredAgainAfterItEndedDoesNothing() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        executor.execute(run.id());

        RunExecutor.Outcome again = executor.execute(run.id());

        assertThat(again).isEqualTo(RunExecutor.Outcome.ALREADY_ENDED);
        assertThat(repository.steps("default", run.id())).hasSize(2);
    }

    @Test
    void exhaustingTheStepBudgetFailsTheRunWithTheStepsItTook() {
        Goal goal = goal("{\"stepBudget\":3,\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        script = context -> AgentDecision.callTool("keep checking", "current_time", Map.of(), Map.of("n", context.stepNo()));

        executor.execute(run.id());

        Run done = repository.findById(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stepBudget()).isEqualTo(3);
        assertThat(done.stepsExecuted()).isEqualTo(3);
        assertThat(done.error()).isEqualTo("Step budget exhausted: used all 3 steps without a final answer");
        assertThat(done.workingMemory()).containsEntry("n", 3);
        assertThat(repository.steps("default", run.id())).hasSize(3);
    }

    @Test
    void aFailingToolBecomesAnObservationAndTheRunGoesOn() {
        Goal goal = goal("{\"allowedTools\":[\"web_search\"]}");
        Run run = runs.trigger("default", goal.id());

        executor.execute(run.id());

        Run done = repository.findById(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        Step search = repository.steps("default", run.id()).get(0);
        assertThat(search.toolName()).isEqualTo("web_search");
        assertThat(search.error()).contains("no search backend is configured");
        assertThat(search.observation()).startsWith("Error: ");
    }

    @Test
    void aToolTheGoalDoesNotAllowIsRefusedAsAnObservation() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        script = context -> context.stepNo() == 1
                ? AgentDecision.callTool("try scraping", "web_scrape", Map.of("url", "http://127.0.0.1/"), Map.of())
                : AgentDecision.answer("done", "nothing", Map.of());

        executor.execute(run.id());

        Step refused = repository.steps("default", run.id()).get(0);
        assertThat(refused.error()).isEqualTo("Tool 'web_scrape' is not allowed for this goal");
        assertThat(repository.findById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aModelErrorFailsTheRunWithTheReason() {
        Goal goal = goal("{}");
        Run run = runs.trigger("default", goal.id());
        script = context -> {
            throw new IllegalStateException("provider unreachable");
        };

        executor.execute(run.id());

        Run done = repository.findById(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.error()).isEqualTo("Model error: provider unreachable");
        assertThat(done.endedAt()).isNotNull();
    }

    @Test
    void aRunWhoseGoalSetsNoBudgetGetsTheDefault() {
        Goal goal = goal("{}");

        Run run = runs.trigger("default", goal.id());

        assertThat(run.stepBudget()).isEqualTo(20);
    }

    @Test
    void aRunWhoseDeadlineIsNearYieldsAndTheNextAttemptContinuesFromItsStoredSteps() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\",\"web_search\"]}");
        Run run = runs.trigger("default", goal.id());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        OfflineModel offline = new OfflineModel();
        script = context -> {
            calls.incrementAndGet();
            return offline.decide(context);
        };

        // a deadline inside the step reserve: nothing may start
        RunExecutor.Outcome first = executor.execute(run.id(), java.time.Instant.now().plusSeconds(5));
        assertThat(first).isEqualTo(RunExecutor.Outcome.YIELDED);
        assertThat(calls.get()).isZero();
        assertThat(repository.findById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

        // one step's worth of time, then the deadline: it stores step 1 and yields again
        script = context -> {
            calls.incrementAndGet();
            AgentDecision decision = offline.decide(context);
            return decision;
        };
        RunExecutor.Outcome second = executor.execute(run.id(), null);

        assertThat(second).isEqualTo(RunExecutor.Outcome.EXECUTED);
        Run done = repository.findById(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(repository.steps("default", run.id())).extracting(Step::stepNo).containsExactly(1, 2, 3);
    }

    @Test
    void aRunLeftRunningByADeadWorkerIsContinuedAfterItsLeaseExpires() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\",\"web_search\"]}");
        Run run = runs.trigger("default", goal.id());
        java.time.Instant past = java.time.Instant.now().minusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // a worker claimed it five minutes ago, stored one step, and died; its lease ran out after one minute
        assertThat(repository.claim(run.id(), past, past.plusSeconds(60))).isTrue();
        repository.appendStep(new Step(io.skyrun.ids.Ids.step(), "default", run.id(), 1, "checked the time",
                "current_time", Map.of("timezone", "UTC"), "Monday", 3, null, past), 1, Map.of("lastTool", "current_time"),
                io.skyrun.agent.Usage.NONE, past.plusSeconds(60));

        RunExecutor.Outcome outcome = executor.execute(run.id());

        assertThat(outcome).isEqualTo(RunExecutor.Outcome.EXECUTED);
        List<Step> steps = repository.steps("default", run.id());
        assertThat(steps).extracting(Step::stepNo).containsExactly(1, 2, 3);
        assertThat(steps.get(1).toolName()).isEqualTo("web_search");
        assertThat(repository.findById(run.id()).orElseThrow().startedAt()).isEqualTo(past);
    }

    @Test
    void aRunHeldByALiveWorkerIsBusy() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        repository.claim(run.id(), java.time.Instant.now(), java.time.Instant.now().plusSeconds(600));

        assertThat(executor.execute(run.id())).isEqualTo(RunExecutor.Outcome.BUSY);
        assertThat(repository.steps("default", run.id())).isEmpty();
    }

    @Test
    void aMissingRunIsDroppedWithoutError() {
        assertThat(executor.execute("run_missing")).isEqualTo(RunExecutor.Outcome.NOT_FOUND);
    }

    @Test
    void aRunDeletedWhileRunningStopsWithoutRecreatingIt() {
        Goal goal = goal("{\"allowedTools\":[\"current_time\"]}");
        Run run = runs.trigger("default", goal.id());
        script = context -> {
            runs.delete("default", run.id());
            return AgentDecision.answer("done", "answer", Map.of());
        };

        RunExecutor.Outcome outcome = executor.execute(run.id());

        assertThat(outcome).isEqualTo(RunExecutor.Outcome.ABANDONED);
        assertThat(repository.findById(run.id())).isEmpty();
    }
}
