package io.skyrun.runs;

import io.micronaut.context.annotation.Requires;
import io.skyrun.agent.AgentConfig;
import io.skyrun.agent.AgentContext;
import io.skyrun.agent.AgentDecision;
import io.skyrun.agent.AgentModel;
import io.skyrun.agent.ModelBusy;
import io.skyrun.agent.Usage;
import io.skyrun.agent.tools.Tool;
import io.skyrun.agent.tools.ToolContext;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.agent.tools.ToolSpec;
import io.skyrun.agent.tools.Tools;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRepository;
import io.skyrun.ids.Ids;
import io.skyrun.memory.MemoryEntry;
import io.skyrun.memory.MemoryService;
import io.skyrun.outputs.RunOutputs;
import io.skyrun.webhooks.RunWebhooks;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes one queued run: claims it ({@code pending -> running}, so it never runs twice), drives the
 * agent loop step by step, persists every step with the run's progress, and ends the run
 * {@code completed} or {@code failed}.
 */
@Singleton
// only where runs are executed: the API Lambdas carry no model adapters or mail transports
@Requires(beans = {AgentModel.class, RunOutputs.class})
public class RunExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    private final RunRepository runs;
    private final GoalRepository goals;
    private final AgentModel model;
    private final Tools tools;
    private final AgentConfig config;
    private final RunWebhooks webhooks;
    private final MemoryService memories;
    private final RunOutputs outputs;
    private final Clock clock;

    public RunExecutor(RunRepository runs, GoalRepository goals, AgentModel model, Tools tools, AgentConfig config,
                       RunWebhooks webhooks, MemoryService memories, RunOutputs outputs, Clock clock) {
        this.outputs = outputs;
        this.runs = runs;
        this.goals = goals;
        this.model = model;
        this.tools = tools;
        this.config = config;
        this.webhooks = webhooks;
        this.memories = memories;
        this.clock = clock;
    }

    /** How an execution attempt went. */
    public enum Outcome {
        /** The run reached its end (completed or failed) in this attempt. */
        EXECUTED,
        /** No such run: the message is stale. */
        NOT_FOUND,
        /** The run had already ended: a duplicate delivery. */
        ALREADY_ENDED,
        /** Another worker holds the run's lease: try again later. */
        BUSY,
        /** The deadline came first: progress is stored and the lease released; queue the run again. */
        YIELDED,
        /** The run was deleted or ended by someone else while it ran. */
        ABANDONED
    }

    /** Executes the run with no deadline (the local worker). */
    public Outcome execute(String runId) {
        return execute(runId, null);
    }

    /**
     * Executes or continues the run. With a deadline (a Lambda's remaining time) it stops before a step
     * it may not finish in time and answers {@link Outcome#YIELDED}; a later call continues from the
     * stored steps.
     */
    public Outcome execute(String runId, Instant deadline) {
        Optional<Run> found = runs.findById(runId);
        if (found.isEmpty()) {
            LOG.info("Run {} no longer exists; nothing to execute", runId);
            return Outcome.NOT_FOUND;
        }
        Run run = found.get();
        if (run.status().ended()) {
            return Outcome.ALREADY_ENDED;
        }
        // read before claiming: if reading fails the run stays as it was and the message is retried
        Optional<Goal> goal = goals.find(run.ownerId(), run.goalId());
        Instant now = clock.instant();
        if (!runs.claim(runId, now, now.plus(config.lease()))) {
            return runs.findById(runId).map(r -> r.status().ended() ? Outcome.ALREADY_ENDED : Outcome.BUSY)
                    .orElse(Outcome.NOT_FOUND);
        }
        if (goal.isEmpty()) {
            runs.finish(runId, RunStatus.FAILED, clock.instant(), "Goal not found", null);
            return Outcome.EXECUTED;
        }
        try {
            Run current = runs.findById(runId).orElse(run);
            return loop(current, goal.get(), deadline);
        } catch (RuntimeException e) {
            LOG.error("Run {} failed unexpectedly", runId, e);
            // no outputs for a run that broke, and its stored working memory stays as it is (null keeps it)
            if (runs.finish(runId, RunStatus.FAILED, clock.instant(), "Internal error: " + e.getClass().getSimpleName(),
                    null)) {
                runs.findById(runId).ifPresent(ended -> webhooks.runEnded(goal.get(), ended));
            }
            return Outcome.EXECUTED;
        }
    }

    private Outcome loop(Run run, Goal goal, Instant deadline) {
        Instant started = run.startedAt() == null ? clock.instant() : run.startedAt();
        Instant timeout = started.plus(config.runTimeout());
        List<Tool> offered = tools.allowed(goal.params().allowedTools());
        List<ToolSpec> specs = offered.stream().map(Tool::spec).toList();
        Map<String, Object> memory = new LinkedHashMap<>(run.workingMemory());
        // a continued run sees the steps its earlier attempts stored
        List<Step> history = new ArrayList<>(run.stepsExecuted() > 0 ? runs.steps(run.ownerId(), run.id()) : List.of());
        int budget = run.stepBudget();
        Usage used = run.usage();

        for (int stepNo = history.size() + 1; stepNo <= budget; stepNo++) {
            Instant now = clock.instant();
            if (!now.isBefore(timeout)) {
                return end(goal, run.id(), RunStatus.FAILED,
                        "Run timed out after " + format(config.runTimeout()) + " (" + (stepNo - 1) + " steps)", memory);
            }
            if (deadline != null && now.plus(config.stepReserve()).isAfter(deadline)) {
                runs.release(run.id());
                LOG.info("Run {} yields after {} steps: the invocation's time is nearly up", run.id(), stepNo - 1);
                return Outcome.YIELDED;
            }
            long t0 = System.nanoTime();
            AgentDecision decision;
            try {
                // read each step: the previous step may have written to it
                List<MemoryEntry> goalMemory = memories.forRun(run.ownerId(), goal.id());
                decision = model.decide(new AgentContext(goal.objective(), goal.params().constraints(), specs,
                        List.copyOf(history), Map.copyOf(nonNull(memory)), stepNo, budget, goalMemory,
                        deadline == null ? null : deadline.minus(config.stepReserve().dividedBy(2))));
            } catch (ModelBusy e) {
                // no time for another attempt in this invocation: the next one continues the run
                runs.release(run.id());
                LOG.info("Run {} yields at step {}: {}", run.id(), stepNo, e.getMessage());
                return Outcome.YIELDED;
            } catch (RuntimeException | LinkageError e) {
                // a LinkageError here is a provider library out of step with its SDK: fail the run, not the worker
                LOG.warn("Model failed on run {} step {}", run.id(), stepNo, e);
                return end(goal, run.id(), RunStatus.FAILED, "Model error: " + message(e), memory);
            }
            String observation;
            String error = null;
            if (decision.isFinal()) {
                observation = decision.finalAnswer();
            } else {
                Optional<Tool> tool = offered.stream().filter(t -> t.name().equals(decision.toolName())).findFirst();
                if (tool.isEmpty()) {
                    error = "Tool '" + decision.toolName() + "' is not allowed for this goal";
                    observation = "Error: " + error;
                } else {
                    try {
                        observation = tool.get().call(decision.toolInput(),
                                new ToolContext(run.ownerId(), goal.id(), run.id()));
                    } catch (ToolFailure e) {
                        error = e.getMessage();
                        observation = "Error: " + error;
                    } catch (RuntimeException e) {
                        LOG.warn("Tool {} crashed on run {}", decision.toolName(), run.id(), e);
                        error = "Tool crashed: " + message(e);
                        observation = "Error: " + error;
                    }
                }
            }
            if (decision.memory() != null) {
                memory.putAll(decision.memory());
            }
            long durationMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            Step step = new Step(Ids.step(), run.ownerId(), run.id(), stepNo, decision.thought(),
                    decision.toolName(), decision.toolInput(), observation, durationMs, error, clock.instant(),
                    decision.usage());
            used = used.plus(decision.usage());
            if (!runs.appendStep(step, stepNo, memory, used, clock.instant().plus(config.lease()))) {
                LOG.info("Run {} was deleted or ended while running; stopping", run.id());
                return Outcome.ABANDONED;
            }
            history.add(step);
            if (decision.isFinal()) {
                return end(goal, run.id(), RunStatus.COMPLETED, null, memory);
            }
        }
        return end(goal, run.id(), RunStatus.FAILED,
                "Step budget exhausted: used all " + budget + " steps without a final answer", memory);
    }

    private Outcome end(Goal goal, String runId, RunStatus status, String error, Map<String, Object> memory) {
        // outputs (an email, a file) only for a run still ours: not one deleted or ended by someone else meanwhile;
        // without outputs the conditional finish below is check enough, and the read is saved
        if (goal.params().hasOutputs() && runs.findById(runId).map(r -> r.status().ended()).orElse(true)) {
            return Outcome.ABANDONED;
        }
        Object summary = memory == null ? null : memory.get("summary");
        List<Map<String, Object>> produced = outputs.produce(goal, runId, status, error,
                status == RunStatus.COMPLETED && summary != null ? summary.toString() : null);
        if (produced != null) {
            memory = memory == null ? new LinkedHashMap<>() : new LinkedHashMap<>(memory);
            memory.put("outputs", produced);
        }
        if (!runs.finish(runId, status, clock.instant(), error, memory)) {
            return Outcome.ABANDONED;
        }
        runs.findById(runId).ifPresent(ended -> webhooks.runEnded(goal, ended));
        return Outcome.EXECUTED;
    }

    private static Map<String, Object> nonNull(Map<String, Object> memory) {
        Map<String, Object> copy = new LinkedHashMap<>();
        memory.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String format(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
