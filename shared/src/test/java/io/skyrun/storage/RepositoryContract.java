package io.skyrun.storage;

import io.skyrun.agent.Usage;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalParams;
import io.skyrun.goals.GoalRepository;
import io.skyrun.goals.GoalStatus;
import io.skyrun.ids.Ids;
import io.skyrun.memory.MemoryEntry;
import io.skyrun.memory.MemoryRepository;
import io.skyrun.memory.MemoryType;
import io.skyrun.paging.Cursor;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.Step;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleRepository;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every storage adapter must do, written once against the repository ports. Each adapter's
 * test extends this class, so the adapters cannot drift apart. Every test uses its own owner.
 */
public abstract class RepositoryContract {
    @Inject
    protected GoalRepository goals;
    @Inject
    protected ScheduleRepository schedules;
    @Inject
    protected RunRepository runs;
    @Inject
    protected io.skyrun.schedule.FireLedger fires;
    @Inject
    protected MemoryRepository memory;
    @Inject
    protected io.skyrun.webhooks.DeliveryRepository deliveries;

    protected String owner;

    @BeforeEach
    void freshOwner() {
        owner = "owner-" + Ids.next("");
    }
    private static final PageRequest FIRST = PageRequest.first(50);

    private final Instant base = Instant.parse("2026-01-01T00:00:00.000Z").plusSeconds(System.nanoTime() % 100_000);

    private Goal goal(String objective, GoalStatus status, int secondsAfterBase) {
        Instant at = base.plusSeconds(secondsAfterBase);
        Map<String, Object> constraints = new LinkedHashMap<>();
        constraints.put("maxRetries", 3);
        constraints.put("nested", Map.of("list", List.of(1, "two", true)));
        Goal goal = new Goal(Ids.goal(), owner, objective,
                new GoalParams(12, List.of("current_time", "web_scrape"), constraints),
                "https://example.com/hook", status, at, at);
        goals.create(goal);
        return goal;
    }

    private Run run(Goal goal, RunStatus status, int secondsAfterBase) {
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("trigger", "manual");
        Run run = new Run(Ids.run(), owner, goal.id(), status, null, null, memory, 7, 0, null,
                base.plusSeconds(secondsAfterBase));
        runs.create(run);
        return run;
    }

    private Step step(Run run, int no) {
        // odd steps carry token counts, even ones none (as with the offline model)
        return new Step(Ids.step(), owner, run.id(), no, "thought " + no, "current_time", Map.of("timezone", "UTC"),
                "observation " + no, 5L * no, null, base.plusSeconds(100 + no), no % 2 == 1 ? new Usage(100L * no, 7L * no) : null);
    }

    @Test
    void aGoalIsStoredAndReadBackFieldForField() {
        Goal stored = goal("Contract goal round trip", GoalStatus.ACTIVE, 0);

        Goal read = goals.find(owner, stored.id()).orElseThrow();

        assertThat(read).isEqualTo(stored);
        assertThat(read.params().constraints()).containsEntry("nested", Map.of("list", List.of(1, "two", true)));
    }

    @Test
    void aGoalWithEmptyParamsAndNoWebhookRoundTrips() {
        Goal stored = new Goal(Ids.goal(), owner, "Bare contract goal", GoalParams.EMPTY, null, GoalStatus.PAUSED,
                base, base.plusMillis(1));
        goals.create(stored);

        assertThat(goals.find(owner, stored.id())).contains(stored);
    }

    @Test
    void creatingAGoalWithAnExistingIdFailsInsteadOfOverwriting() {
        Goal stored = goal("Original contract goal", GoalStatus.ACTIVE, 0);
        Goal clash = new Goal(stored.id(), owner, "Overwriting attempt", GoalParams.EMPTY, null, GoalStatus.ACTIVE,
                base, base);

        assertThatThrownBy(() -> goals.create(clash)).isInstanceOf(RuntimeException.class);
        assertThat(goals.find(owner, stored.id()).orElseThrow().objective()).isEqualTo("Original contract goal");
    }

    @Test
    void goalsAreListedNewestFirstAndByStatus() {
        Goal first = goal("Contract list first", GoalStatus.ACTIVE, 1);
        Goal second = goal("Contract list second", GoalStatus.PAUSED, 2);
        Goal third = goal("Contract list third", GoalStatus.ACTIVE, 3);

        assertThat(goals.list(owner, null, FIRST).items()).extracting(Goal::id).containsExactly(third.id(), second.id(), first.id());
        assertThat(goals.list(owner, GoalStatus.ACTIVE, FIRST).items()).extracting(Goal::id).containsExactly(third.id(), first.id());
        assertThat(goals.list(owner, GoalStatus.ARCHIVED, FIRST).items()).isEmpty();
    }

    @Test
    void goalPagesFollowTheCursorWithoutGapsOrRepeatsEvenWhenTimesTie() {
        // two pairs share a creation millisecond: the id breaks the tie
        List<Goal> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(goal("Contract paging goal " + i, i % 3 == 0 ? GoalStatus.PAUSED : GoalStatus.ACTIVE, i / 2));
        }
        List<String> newestFirst = made.stream()
                .sorted(Comparator.comparing(Goal::createdAt).thenComparing(Goal::id).reversed())
                .map(Goal::id).toList();

        assertThat(walk(page -> goals.list(owner, null, page), Goal::id, 2)).isEqualTo(newestFirst);
        assertThat(walk(page -> goals.list(owner, GoalStatus.PAUSED, page), Goal::id, 1))
                .isEqualTo(made.stream().filter(g -> g.status() == GoalStatus.PAUSED)
                        .sorted(Comparator.comparing(Goal::createdAt).thenComparing(Goal::id).reversed())
                        .map(Goal::id).toList());
        Page<Goal> exact = goals.list(owner, null, PageRequest.first(7));
        assertThat(exact.items()).hasSize(7);
        assertThat(exact.next()).as("no next page when the last page is exactly full").isNull();
    }

    private MemoryEntry entry(Goal goal, String key, MemoryType type, String content, int secondsAfterBase) {
        Instant at = base.plusSeconds(secondsAfterBase);
        return new MemoryEntry(Ids.next("mem_"), owner, goal.id(), type, key, content, "run_writer", at, at);
    }

    @Test
    void memoryEntriesAreKeptPerGoalReplacedByKeyAndListedByKey() {
        Goal goal = goal("Contract memory", GoalStatus.ACTIVE, 0);
        Goal other = goal("Contract memory other", GoalStatus.ACTIVE, 0);
        MemoryEntry first = memory.put(entry(goal, "zeta", MemoryType.NOTE, "first note", 1));
        memory.put(entry(goal, "alpha:1", MemoryType.FACT, "a fact", 2));
        memory.put(entry(other, "zeta", MemoryType.NOTE, "the other goal's", 3));

        MemoryEntry replaced = memory.put(new MemoryEntry(Ids.next("mem_"), owner, goal.id(), MemoryType.ARTIFACT,
                "zeta", "replaced content", null, base.plusSeconds(50), base.plusSeconds(50)));

        assertThat(replaced.id()).isEqualTo(first.id());
        assertThat(replaced.createdAt()).isEqualTo(base.plusSeconds(1));
        assertThat(memory.find(owner, goal.id(), "zeta")).contains(replaced);
        assertThat(replaced.type()).isEqualTo(MemoryType.ARTIFACT);
        assertThat(replaced.runId()).isNull();
        assertThat(replaced.updatedAt()).isEqualTo(base.plusSeconds(50));
        assertThat(memory.list(owner, goal.id())).extracting(MemoryEntry::key).containsExactly("alpha:1", "zeta");
        assertThat(memory.list(owner, other.id())).extracting(MemoryEntry::content).containsExactly("the other goal's");
        assertThat(memory.list(owner + "-stranger", goal.id())).isEmpty();
        assertThat(memory.find(owner + "-stranger", goal.id(), "zeta")).isEmpty();
        assertThat(memory.delete(owner + "-stranger", goal.id(), "zeta")).isFalse();
        assertThat(memory.delete(owner, goal.id(), "zeta")).isTrue();
        assertThat(memory.delete(owner, goal.id(), "zeta")).isFalse();
        assertThat(memory.list(owner, goal.id())).extracting(MemoryEntry::key).containsExactly("alpha:1");
    }

    @Test
    void childrenOfAGoneParentAreRefusedNotLeftBehind() {
        Goal goal = goal("Contract orphan guard", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.COMPLETED, 1);
        runs.delete(owner, run.id());
        goals.delete(owner, goal.id());

        assertThatThrownBy(() -> memory.put(entry(goal, "late", MemoryType.NOTE, "written after the delete", 2)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> deliveries.add(new io.skyrun.webhooks.DeliveryRecord(Ids.next("whd_"), owner, run.id(),
                goal.id(), "run.completed", "https://example.com/h", 1, 200, null, 5, base)))
                .isInstanceOf(RuntimeException.class);
        assertThat(memory.list(owner, goal.id())).isEmpty();
        assertThat(deliveries.list(owner, run.id())).isEmpty();
    }

    @Test
    void deletingAGoalDeletesItsMemory() {
        Goal goal = goal("Contract memory cascade", GoalStatus.ACTIVE, 0);
        memory.put(entry(goal, "kept", MemoryType.FACT, "gone with the goal", 1));

        assertThat(goals.delete(owner, goal.id())).isTrue();

        assertThat(memory.list(owner, goal.id())).isEmpty();
        assertThat(memory.find(owner, goal.id(), "kept")).isEmpty();
    }

    @Test
    void aGoalKeepsItsWebhookSecretAcrossUpdatesUntilItIsReplaced() {
        Goal stored = new Goal(Ids.goal(), owner, "Contract secret goal", GoalParams.EMPTY, null, GoalStatus.ACTIVE,
                base, base);
        goals.create(stored, "whsec_first");

        goals.update(new Goal(stored.id(), owner, "Contract secret goal changed", GoalParams.EMPTY,
                "https://example.com/h", GoalStatus.PAUSED, base, base.plusSeconds(5)));

        assertThat(goals.webhookSecret(owner, stored.id())).contains("whsec_first");
        assertThat(goals.webhookSecret(owner + "-stranger", stored.id())).isEmpty();
        assertThat(goals.setWebhookSecret(owner + "-stranger", stored.id(), "whsec_hijack")).isFalse();
        assertThat(goals.setWebhookSecret(owner, stored.id(), "whsec_second")).isTrue();
        assertThat(goals.webhookSecret(owner, stored.id())).contains("whsec_second");
        assertThat(goals.find(owner, stored.id()).orElseThrow().objective()).isEqualTo("Contract secret goal changed");
        assertThat(goals.setWebhookSecret(owner, "goal_missing", "whsec_x")).isFalse();
        Goal plain = goal("Contract goal without secret", GoalStatus.ACTIVE, 0);
        assertThat(goals.webhookSecret(owner, plain.id())).isEmpty();
    }

    @Test
    void webhookDeliveriesAreKeptPerRunInOrderAndGoWithTheRun() {
        Goal goal = goal("Contract deliveries", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.COMPLETED, 1);
        for (int attempt = 1; attempt <= 3; attempt++) {
            deliveries.add(new io.skyrun.webhooks.DeliveryRecord(Ids.next("whd_"), owner, run.id(), goal.id(),
                    "run.completed", "https://example.com/h", attempt, attempt == 3 ? 200 : 503,
                    attempt == 3 ? null : "HTTP 503", 10L * attempt, base.plusSeconds(attempt)));
        }

        assertThat(deliveries.list(owner, run.id())).extracting(io.skyrun.webhooks.DeliveryRecord::attempt)
                .containsExactly(1, 2, 3);
        assertThat(deliveries.list(owner, run.id()).get(2)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.error()).isNull();
            assertThat(r.durationMs()).isEqualTo(30);
            assertThat(r.createdAt()).isEqualTo(base.plusSeconds(3));
        });
        assertThat(deliveries.list(owner + "-stranger", run.id())).isEmpty();
        assertThat(runs.steps(owner, run.id())).isEmpty();
        assertThat(runs.delete(owner, run.id())).isTrue();
        assertThat(deliveries.list(owner, run.id())).isEmpty();
    }

    @Test
    void anUpdateChangesTheMutableFieldsOnly() {
        Goal stored = goal("Contract update before", GoalStatus.ACTIVE, 0);
        Goal changed = new Goal(stored.id(), owner, "Contract update after", GoalParams.EMPTY, null,
                GoalStatus.ARCHIVED, base.plusSeconds(999), base.plusSeconds(50));

        assertThat(goals.update(changed)).isTrue();

        Goal read = goals.find(owner, stored.id()).orElseThrow();
        assertThat(read.objective()).isEqualTo("Contract update after");
        assertThat(read.params()).isEqualTo(GoalParams.EMPTY);
        assertThat(read.webhookUrl()).isNull();
        assertThat(read.status()).isEqualTo(GoalStatus.ARCHIVED);
        assertThat(read.createdAt()).isEqualTo(stored.createdAt());
        assertThat(read.updatedAt()).isEqualTo(base.plusSeconds(50));
    }

    @Test
    void anotherOwnerCanNeitherSeeNorChangeNorDeleteAGoal() {
        Goal stored = goal("Contract owner isolation", GoalStatus.ACTIVE, 0);
        String stranger = owner + "-stranger";

        assertThat(goals.find(stranger, stored.id())).isEmpty();
        assertThat(goals.list(stranger, null, FIRST).items()).isEmpty();
        assertThat(goals.update(new Goal(stored.id(), stranger, "hijacked objective", GoalParams.EMPTY, null,
                GoalStatus.PAUSED, base, base))).isFalse();
        assertThat(goals.delete(stranger, stored.id())).isFalse();
        assertThat(goals.find(owner, stored.id())).contains(stored);
    }

    @Test
    void deletingAGoalDeletesItsSchedulesRunsAndSteps() {
        Goal goal = goal("Contract cascade", GoalStatus.ACTIVE, 0);
        Schedule schedule = new Schedule(Ids.schedule(), owner, goal.id(), "0 9 * * *", "UTC", true, base,
                base.plusSeconds(60));
        schedules.create(schedule);
        Run run = run(goal, RunStatus.PENDING, 1);
        runs.claim(run.id(), base.plusSeconds(2), base.plusSeconds(602));
        runs.appendStep(step(run, 1), 1, Map.of(), Usage.NONE, base.plusSeconds(900));

        assertThat(goals.delete(owner, goal.id())).isTrue();

        assertThat(goals.find(owner, goal.id())).isEmpty();
        assertThat(schedules.listForGoal(owner, goal.id())).isEmpty();
        assertThat(runs.findById(run.id())).isEmpty();
        assertThat(runs.steps(owner, run.id())).isEmpty();
        assertThat(goals.delete(owner, goal.id())).isFalse();
    }

    @Test
    void schedulesAreStoredActivatedAndCounted() {
        Goal goal = goal("Contract schedules", GoalStatus.ACTIVE, 0);
        Schedule schedule = new Schedule(Ids.schedule(), owner, goal.id(), "*/5 * * * *", "Europe/Berlin", true, base,
                base.plusSeconds(300));
        schedules.create(schedule);

        assertThat(schedules.listForGoal(owner, goal.id())).containsExactly(schedule);
        assertThat(schedules.countActive(owner)).isEqualTo(1);
        schedules.setActive(schedule, false);
        assertThat(schedules.listForGoal(owner, goal.id()).get(0).active()).isFalse();
        assertThat(schedules.countActive(owner)).isZero();
        schedules.setNextFire(schedule, null);
        assertThat(schedules.listForGoal(owner, goal.id()).get(0).nextFireAt()).isNull();
        schedules.setActive(schedule, true);
        schedules.setNextFire(schedule, base.plusSeconds(600));
        assertThat(schedules.listForGoal(owner, goal.id()).get(0))
                .isEqualTo(schedule.withActive(true, base.plusSeconds(600)));
        assertThat(schedules.countActive(owner)).isEqualTo(1);
        assertThat(schedules.listForGoal(owner + "-stranger", goal.id())).isEmpty();
    }

    @Test
    void aDueScheduleCanBeAdvancedOnlyOncePerFireTime() {
        Goal goal = goal("Contract due schedules", GoalStatus.ACTIVE, 0);
        Instant due = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Schedule schedule = new Schedule(Ids.schedule(), owner, goal.id(), "* * * * *", "UTC", true, base, due);
        schedules.create(schedule);

        assertThat(schedules.due(Instant.now(), 1000)).extracting(Schedule::id).contains(schedule.id());
        assertThat(schedules.advance(schedule, due, due.plusSeconds(3600))).isTrue();
        assertThat(schedules.advance(schedule, due, due.plusSeconds(7200))).isFalse();
        assertThat(schedules.due(Instant.now(), 1000)).extracting(Schedule::id).doesNotContain(schedule.id());
        assertThat(schedules.listForGoal(owner, goal.id()).get(0).nextFireAt()).isEqualTo(due.plusSeconds(3600));
    }

    @Test
    void deletingAScheduleRemovesOnlyIt() {
        Goal goal = goal("Contract schedule delete", GoalStatus.ACTIVE, 0);
        Schedule one = new Schedule(Ids.schedule(), owner, goal.id(), "0 1 * * *", "UTC", true, base, null);
        Schedule two = new Schedule(Ids.schedule(), owner, goal.id(), "0 2 * * *", "UTC", true, base.plusMillis(1), null);
        schedules.create(one);
        schedules.create(two);

        schedules.delete(one);

        assertThat(schedules.listForGoal(owner, goal.id())).containsExactly(two);
    }

    @Test
    void aScheduleFireIsRecordedOnce() {
        Goal goal = goal("Contract fire ledger", GoalStatus.ACTIVE, 0);
        Schedule schedule = new Schedule(Ids.schedule(), owner, goal.id(), "0 9 * * *", "UTC", true, base, null);
        schedules.create(schedule);
        Instant at = Instant.parse("2026-03-29T09:00:00Z");

        assertThat(fires.firstFire(schedule, at)).isTrue();
        assertThat(fires.firstFire(schedule, at)).isFalse();
        assertThat(fires.firstFire(schedule, at.plusSeconds(86400))).isTrue();
    }

    @Test
    void anInactiveScheduleIsNeverDue() {
        Goal goal = goal("Contract inactive schedule", GoalStatus.PAUSED, 0);
        Schedule schedule = new Schedule(Ids.schedule(), owner, goal.id(), "* * * * *", "UTC", false, base,
                Instant.now().minusSeconds(600));
        schedules.create(schedule);

        assertThat(schedules.due(Instant.now(), 1000)).extracting(Schedule::id).doesNotContain(schedule.id());
    }

    @Test
    void aRunIsStoredAndReadBack() {
        Goal goal = goal("Contract run round trip", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);

        assertThat(runs.find(owner, run.id())).contains(run);
        assertThat(runs.findById(run.id())).contains(run);
        assertThat(runs.find(owner + "-stranger", run.id())).isEmpty();
    }

    @Test
    void aRunIsClaimedOnceAndOnlyFromPending() {
        Goal goal = goal("Contract claim", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);

        assertThat(runs.claim(run.id(), base.plusSeconds(5), base.plusSeconds(605))).isTrue();
        assertThat(runs.claim(run.id(), base.plusSeconds(6), base.plusSeconds(606))).isFalse();

        Run claimed = runs.findById(run.id()).orElseThrow();
        assertThat(claimed.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(claimed.startedAt()).isEqualTo(base.plusSeconds(5));
        assertThat(runs.claim("run_missing", base, base.plusSeconds(600))).isFalse();
    }

    @Test
    void aRunningRunIsTakenOverOnlyAfterItsLeaseExpiresAndKeepsItsStartTime() {
        Goal goal = goal("Contract lease", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);
        assertThat(runs.claim(run.id(), base.plusSeconds(10), base.plusSeconds(70))).isTrue();

        assertThat(runs.claim(run.id(), base.plusSeconds(69), base.plusSeconds(200))).isFalse();
        assertThat(runs.claim(run.id(), base.plusSeconds(71), base.plusSeconds(200))).isTrue();
        assertThat(runs.claim(run.id(), base.plusSeconds(72), base.plusSeconds(300))).isFalse();

        Run taken = runs.findById(run.id()).orElseThrow();
        assertThat(taken.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(taken.startedAt()).isEqualTo(base.plusSeconds(10));
    }

    @Test
    void aReleasedRunCanBeContinuedAtOnceAndStepsRenewTheLease() {
        Goal goal = goal("Contract release", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);
        runs.claim(run.id(), base.plusSeconds(10), base.plusSeconds(70));
        runs.appendStep(step(run, 1), 1, Map.of(), Usage.NONE, base.plusSeconds(500));
        assertThat(runs.claim(run.id(), base.plusSeconds(100), base.plusSeconds(200))).isFalse();

        runs.release(run.id());

        assertThat(runs.claim(run.id(), base.plusSeconds(101), base.plusSeconds(200))).isTrue();
        runs.finish(run.id(), RunStatus.COMPLETED, base.plusSeconds(150), null, null);
        assertThat(runs.claim(run.id(), base.plusSeconds(999), base.plusSeconds(2000))).isFalse();
    }

    @Test
    void stepsAreAppendedOnlyWhileTheRunIsRunning() {
        Goal goal = goal("Contract steps", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);
        assertThat(runs.appendStep(step(run, 1), 1, Map.of("k", "v"), Usage.NONE, base.plusSeconds(900))).isFalse();
        runs.claim(run.id(), base.plusSeconds(2), base.plusSeconds(602));

        assertThat(runs.appendStep(step(run, 1), 1, Map.of("k", "one"), new Usage(100, 7), base.plusSeconds(900))).isTrue();
        assertThat(runs.appendStep(step(run, 2), 2, Map.of("k", "two", "list", List.of(1, 2)), new Usage(100, 7),
                base.plusSeconds(900))).isTrue();

        Run progressed = runs.findById(run.id()).orElseThrow();
        assertThat(progressed.stepsExecuted()).isEqualTo(2);
        assertThat(progressed.usage()).isEqualTo(new Usage(100, 7));
        assertThat(progressed.workingMemory()).isEqualTo(Map.of("k", "two", "list", List.of(1, 2)));
        List<Step> steps = runs.steps(owner, run.id());
        assertThat(steps).extracting(Step::stepNo).containsExactly(1, 2);
        assertThat(steps.get(0)).usingRecursiveComparison().ignoringFields("id").isEqualTo(step(run, 1));
        assertThat(steps.get(0).usage()).isEqualTo(new Usage(100, 7));
        assertThat(steps.get(1).usage()).isNull();
        assertThat(runs.steps(owner + "-stranger", run.id())).isEmpty();

        runs.finish(run.id(), RunStatus.COMPLETED, base.plusSeconds(9), null, null);
        assertThat(runs.appendStep(step(run, 3), 3, Map.of(), Usage.NONE, base.plusSeconds(900))).isFalse();
        assertThat(runs.steps(owner, run.id())).hasSize(2);
    }

    @Test
    void aRunEndsOnceAndKeepsItsMemoryWhenNoneIsGiven() {
        Goal goal = goal("Contract finish", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);
        runs.claim(run.id(), base.plusSeconds(2), base.plusSeconds(602));

        assertThat(runs.finish(run.id(), RunStatus.FAILED, base.plusSeconds(3), "boom", null)).isTrue();
        assertThat(runs.finish(run.id(), RunStatus.COMPLETED, base.plusSeconds(4), null, Map.of("x", 1))).isFalse();

        Run ended = runs.findById(run.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.error()).isEqualTo("boom");
        assertThat(ended.endedAt()).isEqualTo(base.plusSeconds(3));
        assertThat(ended.workingMemory()).isEqualTo(Map.of("trigger", "manual"));
    }

    @Test
    void runPagesFollowTheCursorInEveryFilterShapeAndNeverCrossOwners() {
        Goal a = goal("Contract run paging a", GoalStatus.ACTIVE, 0);
        Goal b = goal("Contract run paging b", GoalStatus.ACTIVE, 0);
        List<Run> mine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            mine.add(run(i % 2 == 0 ? a : b, RunStatus.PENDING, 10 + i / 3));
        }
        // another owner's runs in the same time range share the status index partition
        String me = owner;
        owner = me + "x";
        Goal theirs = goal("Contract run paging theirs", GoalStatus.ACTIVE, 0);
        for (int i = 0; i < 4; i++) {
            run(theirs, RunStatus.PENDING, 10 + i);
        }
        owner = me;
        Comparator<Run> newest = Comparator.comparing(Run::createdAt).thenComparing(Run::id).reversed();

        assertThat(walk(page -> runs.list(owner, null, null, page), Run::id, 2))
                .isEqualTo(mine.stream().sorted(newest).map(Run::id).toList());
        assertThat(walk(page -> runs.list(owner, a.id(), null, page), Run::id, 2))
                .isEqualTo(mine.stream().filter(r -> r.goalId().equals(a.id())).sorted(newest).map(Run::id).toList());
        assertThat(walk(page -> runs.list(owner, null, RunStatus.PENDING, page), Run::id, 2))
                .isEqualTo(mine.stream().sorted(newest).map(Run::id).toList());
        assertThat(walk(page -> runs.list(owner, b.id(), RunStatus.PENDING, page), Run::id, 3))
                .isEqualTo(mine.stream().filter(r -> r.goalId().equals(b.id())).sorted(newest).map(Run::id).toList());
    }

    /** Follows next cursors to the end, checking that every page but the last is full. */
    private static <T> List<String> walk(java.util.function.Function<PageRequest, Page<T>> list,
                                         java.util.function.Function<T, String> id, int size) {
        List<String> seen = new ArrayList<>();
        PageRequest request = PageRequest.first(size);
        for (int pages = 0; pages < 100; pages++) {
            Page<T> page = list.apply(request);
            page.items().forEach(item -> seen.add(id.apply(item)));
            if (page.next() == null) {
                assertThat(page.items().size()).isLessThanOrEqualTo(size);
                return seen;
            }
            assertThat(page.items()).hasSize(size);
            request = new PageRequest(Cursor.parse(page.next().token()).orElseThrow(), size);
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void runsAreListedNewestFirstFilteredAndLimited() {
        Goal a = goal("Contract run list a", GoalStatus.ACTIVE, 0);
        Goal b = goal("Contract run list b", GoalStatus.ACTIVE, 0);
        Run a1 = run(a, RunStatus.PENDING, 1);
        Run b1 = run(b, RunStatus.PENDING, 2);
        Run a2 = run(a, RunStatus.PENDING, 3);
        runs.claim(a2.id(), base.plusSeconds(4), base.plusSeconds(604));

        assertThat(runs.list(owner, null, null, FIRST).items()).extracting(Run::id).containsExactly(a2.id(), b1.id(), a1.id());
        assertThat(runs.list(owner, a.id(), null, FIRST).items()).extracting(Run::id).containsExactly(a2.id(), a1.id());
        assertThat(runs.list(owner, null, RunStatus.PENDING, FIRST).items()).extracting(Run::id).containsExactly(b1.id(), a1.id());
        assertThat(runs.list(owner, a.id(), RunStatus.RUNNING, FIRST).items()).extracting(Run::id).containsExactly(a2.id());
        assertThat(runs.list(owner, null, null, PageRequest.first(2)).items()).extracting(Run::id).containsExactly(a2.id(), b1.id());
        assertThat(runs.list(owner + "-stranger", null, null, FIRST).items()).isEmpty();
        assertThat(runs.pendingIds(100_000)).contains(a1.id(), b1.id()).doesNotContain(a2.id());
        assertThat(runs.runningIds(100_000)).contains(a2.id());
    }

    @Test
    void deletingARunDeletesItsStepsAndOnlyForItsOwner() {
        Goal goal = goal("Contract run delete", GoalStatus.ACTIVE, 0);
        Run run = run(goal, RunStatus.PENDING, 1);
        runs.claim(run.id(), base.plusSeconds(2), base.plusSeconds(602));
        runs.appendStep(step(run, 1), 1, Map.of(), Usage.NONE, base.plusSeconds(900));

        assertThat(runs.delete(owner + "-stranger", run.id())).isFalse();
        assertThat(runs.delete(owner, run.id())).isTrue();

        assertThat(runs.findById(run.id())).isEmpty();
        assertThat(runs.steps(owner, run.id())).isEmpty();
        assertThat(runs.delete(owner, run.id())).isFalse();
    }
}
