package io.skyrun.runs.jdbc;

import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import io.skyrun.agent.Usage;
import io.skyrun.json.JsonCodec;
import io.skyrun.paging.Cursor;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.Step;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skyrun.time.Timestamps.instant;
import static io.skyrun.time.Timestamps.millis;

/** Run and step storage on a relational database. */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcRunRepository implements RunRepository {
    private final RunRows runs;
    private final StepRows steps;
    private final JsonCodec json;

    public JdbcRunRepository(RunRows runs, StepRows steps, JsonCodec json) {
        this.runs = runs;
        this.steps = steps;
        this.json = json;
    }

    @Override
    public void create(Run r) {
        runs.save(new RunRow(r.id(), r.ownerId(), r.goalId(), r.status().wire(), millis(r.startedAt()),
                millis(r.endedAt()), json.write(r.workingMemory()), r.stepBudget(), r.stepsExecuted(), r.error(),
                r.createdAt().toEpochMilli(), r.usage().inputTokens(), r.usage().outputTokens()));
    }

    @Override
    public Optional<Run> find(String ownerId, String id) {
        return runs.findByIdAndOwnerId(id, ownerId).map(this::toRun);
    }

    @Override
    public Optional<Run> findById(String id) {
        return runs.findById(id).map(this::toRun);
    }

    @Override
    public Page<Run> list(String ownerId, String goalId, RunStatus status, PageRequest page) {
        Cursor after = page.after();
        List<Run> found = runs.list(ownerId, goalId, status == null ? null : status.wire(),
                        after == null ? 0 : after.createdAtMillis(), after == null ? null : after.id(), page.limit() + 1)
                .stream().map(this::toRun).toList();
        return Page.of(found, page.limit(), r -> Cursor.after(r.createdAt(), r.id()));
    }

    @Override
    public List<String> pendingIds(int limit) {
        return runs.idsInStatus(RunStatus.PENDING.wire(), limit);
    }

    @Override
    public List<String> runningIds(int limit) {
        return runs.idsInStatus(RunStatus.RUNNING.wire(), limit);
    }

    @Override
    public boolean claim(String id, Instant now, Instant leaseUntil) {
        return runs.claim(id, now.toEpochMilli(), leaseUntil.toEpochMilli()) == 1;
    }

    @Override
    public void release(String id) {
        runs.release(id);
    }

    @Override
    @Transactional
    public boolean appendStep(Step s, int stepsExecuted, Map<String, Object> workingMemory, Usage runUsage,
                              Instant leaseUntil) {
        if (runs.progress(s.runId(), stepsExecuted, json.write(workingMemory), runUsage.inputTokens(),
                runUsage.outputTokens(), leaseUntil.toEpochMilli()) != 1) {
            return false;
        }
        steps.save(new StepRow(s.id(), s.ownerId(), s.runId(), s.stepNo(), s.thought(), s.toolName(),
                json.write(s.toolInput()), s.observation(), s.durationMs(), s.error(), s.createdAt().toEpochMilli(),
                s.usage() == null ? null : s.usage().inputTokens(), s.usage() == null ? null : s.usage().outputTokens()));
        return true;
    }

    @Override
    public boolean finish(String id, RunStatus status, Instant endedAt, String error, Map<String, Object> workingMemory) {
        return runs.finish(id, status.wire(), endedAt.toEpochMilli(), error,
                workingMemory == null ? null : json.write(workingMemory)) == 1;
    }

    @Override
    public List<Step> steps(String ownerId, String runId) {
        return steps.listForRun(ownerId, runId).stream().map(this::toStep).toList();
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return runs.remove(id, ownerId) > 0;
    }



    private Run toRun(RunRow r) {
        Map<String, Object> memory = json.readMap(r.workingMemory());
        return new Run(r.id(), r.ownerId(), r.goalId(), RunStatus.parse(r.status()).orElseThrow(),
                instant(r.startedAt()), instant(r.endedAt()), memory == null ? new LinkedHashMap<>() : memory,
                r.stepBudget(), r.stepsExecuted(), r.error(), Instant.ofEpochMilli(r.createdAt()),
                new Usage(r.inputTokens(), r.outputTokens()));
    }

    private Step toStep(StepRow s) {
        return new Step(s.id(), s.ownerId(), s.runId(), s.stepNo(), s.thought(), s.toolName(),
                json.readMap(s.toolInput()), s.observation(), s.durationMs(), s.error(), Instant.ofEpochMilli(s.createdAt()),
                s.inputTokens() == null ? null : new Usage(s.inputTokens(), s.outputTokens() == null ? 0 : s.outputTokens()));
    }
}
