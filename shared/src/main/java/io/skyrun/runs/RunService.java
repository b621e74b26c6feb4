package io.skyrun.runs;

import io.skyrun.agent.AgentConfig;
import io.skyrun.errors.BadRequest;
import io.skyrun.errors.NotFound;
import io.skyrun.errors.Unavailable;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRepository;
import io.skyrun.goals.GoalService;
import io.skyrun.goals.GoalStatus;
import io.skyrun.ids.Ids;
import io.skyrun.outputs.FileStore;
import io.skyrun.outputs.StoredFile;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.queue.RunQueue;
import io.skyrun.webhooks.DeliveryRecord;
import io.skyrun.webhooks.DeliveryRepository;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Triggers runs and reads them back. */
@Singleton
public class RunService {
    public static final String NOT_FOUND = "Run not found";
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final RunRepository runs;
    private final DeliveryRepository deliveries;
    // looked up only by the file and delete endpoints, so other requests never build an S3 client
    private final Provider<FileStore> files;
    private final GoalRepository goals;
    private final RunQueue queue;
    private final AgentConfig agent;
    private final Clock clock;

    public RunService(RunRepository runs, GoalRepository goals, RunQueue queue, AgentConfig agent,
                      DeliveryRepository deliveries, Provider<FileStore> files, Clock clock) {
        this.runs = runs;
        this.files = files;
        this.deliveries = deliveries;
        this.goals = goals;
        this.queue = queue;
        this.agent = agent;
        this.clock = clock;
    }

    /** Stores a pending run of an active goal and queues it. */
    public Run trigger(String ownerId, String goalId) {
        Goal goal = goals.find(ownerId, goalId).orElseThrow(() -> new NotFound(GoalService.NOT_FOUND));
        if (goal.status() != GoalStatus.ACTIVE) {
            throw new BadRequest("Goal is " + goal.status().wire());
        }
        return start(goal, "manual");
    }

    /** Starts a run for a schedule's fire; an inactive or missing goal starts nothing. */
    public Optional<Run> triggerScheduled(String ownerId, String goalId, String scheduleId) {
        Optional<Goal> goal = goals.find(ownerId, goalId).filter(g -> g.status() == GoalStatus.ACTIVE);
        if (goal.isEmpty()) {
            LOG.info("Schedule {} fired but goal {} is missing or not active; no run", scheduleId, goalId);
            return Optional.empty();
        }
        return Optional.of(start(goal.get(), scheduleId));
    }

    private Run start(Goal goal, String trigger) {
        Integer budget = goal.params().stepBudget();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("trigger", trigger);
        Instant now = clock.instant();
        Run run = new Run(Ids.run(), goal.ownerId(), goal.id(), RunStatus.PENDING, null, null, memory,
                budget == null ? agent.defaultStepBudget() : budget, 0, null, now);
        runs.create(run);
        try {
            queue.enqueue(run.id());
        } catch (RuntimeException e) {
            // a stored run no worker will ever see must not stay pending
            runs.finish(run.id(), RunStatus.FAILED, clock.instant(), "Could not queue the run", null);
            throw new Unavailable("Run queue unavailable; try again", e);
        }
        return run;
    }

    public Run get(String ownerId, String id) {
        return runs.find(ownerId, id).orElseThrow(() -> new NotFound(NOT_FOUND));
    }

    /** One page of the owner's runs, newest first, each with its goal. */
    public Page<RunView> list(String ownerId, String goalId, RunStatus status, PageRequest page) {
        Map<String, Goal> goalsById = new HashMap<>();
        return runs.list(ownerId, goalId, status, page)
                .map(r -> RunView.of(r, goalsById.computeIfAbsent(r.goalId(),
                        id -> goals.find(ownerId, id).orElse(null))));
    }

    public RunView view(String ownerId, String id) {
        Run run = get(ownerId, id);
        return RunView.of(run, goals.find(ownerId, run.goalId()).orElse(null));
    }

    /** The run's webhook delivery attempts, oldest first; 404 when there is no such run. */
    public List<DeliveryRecord> deliveries(String ownerId, String id) {
        get(ownerId, id);
        return deliveries.list(ownerId, id);
    }

    public List<Step> steps(String ownerId, String id) {
        get(ownerId, id);
        return runs.steps(ownerId, id);
    }

    /** The files the run produced; 404 when there is no such run. */
    public List<StoredFile> files(String ownerId, String id) {
        Run run = get(ownerId, id);
        return files.get().list(ownerId, run.goalId(), id);
    }

    /** One file of the run; 404 when there is no such run or file. */
    public byte[] file(String ownerId, String id, String name) {
        Run run = get(ownerId, id);
        return files.get().read(ownerId, run.goalId(), id, name).orElseThrow(() -> new NotFound("File not found"));
    }

    public void delete(String ownerId, String id) {
        Run run = get(ownerId, id);
        files.get().deleteRun(ownerId, run.goalId(), id);
        if (!runs.delete(ownerId, id)) {
            throw new NotFound(NOT_FOUND);
        }
    }
}
