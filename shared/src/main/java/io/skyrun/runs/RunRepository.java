package io.skyrun.runs;

import io.skyrun.agent.Usage;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage port for runs and their steps. State changes are conditional so no run executes twice. */
public interface RunRepository {
    void create(Run run);

    Optional<Run> find(String ownerId, String id);

    /** Looks a run up by id alone: for workers, which get only the id from the queue. */
    Optional<Run> findById(String id);

    /** One page of the owner's runs, newest first, optionally filtered by goal and status. */
    Page<Run> list(String ownerId, String goalId, RunStatus status, PageRequest page);

    /** Ids of pending runs of every owner, oldest first: what a restarted local worker picks up again. */
    List<String> pendingIds(int limit);

    /** Ids of runs left running, of every owner. */
    List<String> runningIds(int limit);

    /**
     * Takes a run for execution until {@code leaseUntil}: {@code pending -> running} (setting startedAt),
     * or taking over a {@code running} run whose lease has expired (its worker died or yielded).
     * True only for the caller that won.
     */
    boolean claim(String id, Instant now, Instant leaseUntil);

    /**
     * Stores a step and the run's progress together (steps executed, working memory, token totals), and renews
     * the lease, only while the run is running.
     */
    boolean appendStep(Step step, int stepsExecuted, Map<String, Object> workingMemory, Usage runUsage,
                       Instant leaseUntil);

    /** Ends the lease of a running run at once, so the next worker may continue it. */
    void release(String id);

    /** {@code running|pending -> completed|failed}; false if the run had already ended or is gone. */
    boolean finish(String id, RunStatus status, Instant endedAt, String error, Map<String, Object> workingMemory);

    List<Step> steps(String ownerId, String runId);

    /** Deletes the run and its steps. */
    boolean delete(String ownerId, String id);
}
