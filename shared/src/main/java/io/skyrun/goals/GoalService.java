package io.skyrun.goals;

import io.skyrun.errors.NotFound;
import io.skyrun.ids.Ids;
import io.skyrun.outputs.FileStore;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleRepository;
import io.skyrun.schedule.Scheduler;
import io.skyrun.webhooks.WebhookSecrets;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Creates, changes and removes goals together with their schedules. */
@Singleton
public class GoalService {
    public static final String NOT_FOUND = "Goal not found";

    private final GoalRepository goals;
    private final ScheduleRepository schedules;
    private final Scheduler scheduler;
    private final Clock clock;
    // looked up when a goal is deleted: building an S3 client is not worth it for every cold start
    private final Provider<FileStore> files;

    public GoalService(GoalRepository goals, ScheduleRepository schedules, Scheduler scheduler, Provider<FileStore> files,
                       Clock clock) {
        this.files = files;
        this.goals = goals;
        this.schedules = schedules;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** A new goal and its webhook signing secret, which only the create answer shows. */
    public record Created(Goal goal, String webhookSecret) {
    }

    public Goal create(String ownerId, GoalRequests.CreateGoal request) {
        return createWithSecret(ownerId, request).goal();
    }

    public Created createWithSecret(String ownerId, GoalRequests.CreateGoal request) {
        Instant now = clock.instant();
        Goal goal = new Goal(Ids.goal(), ownerId, request.objective(), request.params(), request.webhookUrl(),
                GoalStatus.ACTIVE, now, now);
        // every goal gets a signing secret at once, so a webhook added later is signed from its first event
        String secret = WebhookSecrets.newSecret();
        goals.create(goal, secret);
        if (request.schedule() != null) {
            Schedule schedule = new Schedule(Ids.schedule(), ownerId, goal.id(), request.schedule().cron().expression(),
                    request.schedule().timezone(), true, now, null);
            try {
                schedules.create(schedule);
                scheduler.register(schedule);
            } catch (RuntimeException e) {
                // never leave a goal behind whose requested schedule does not exist
                goals.delete(ownerId, goal.id());
                throw e;
            }
        }
        return new Created(goal, secret);
    }

    /** The goal's webhook signing secret; 404 when there is no such goal. */
    public String webhookSecret(String ownerId, String id) {
        get(ownerId, id);
        return goals.webhookSecret(ownerId, id).orElseGet(() -> rotateWebhookSecret(ownerId, id));
    }

    /** Replaces the goal's webhook signing secret and returns the new one; 404 when there is no such goal. */
    public String rotateWebhookSecret(String ownerId, String id) {
        String secret = WebhookSecrets.newSecret();
        if (!goals.setWebhookSecret(ownerId, id, secret)) {
            throw new NotFound(NOT_FOUND);
        }
        return secret;
    }

    public Goal get(String ownerId, String id) {
        return goals.find(ownerId, id).orElseThrow(() -> new NotFound(NOT_FOUND));
    }

    public List<Schedule> schedules(String ownerId, String goalId) {
        return schedules.listForGoal(ownerId, goalId);
    }

    public Page<Goal> list(String ownerId, GoalStatus status, PageRequest page) {
        return goals.list(ownerId, status, page);
    }

    public Goal update(String ownerId, String id, GoalRequests.GoalPatch patch) {
        Goal current = get(ownerId, id);
        Goal changed = new Goal(current.id(), ownerId,
                patch.objective() != null ? patch.objective() : current.objective(),
                patch.params() != null ? patch.params() : current.params(),
                patch.webhookUrlSet() ? patch.webhookUrl() : current.webhookUrl(),
                patch.status() != null ? patch.status() : current.status(),
                current.createdAt(), current.updatedAt());
        if (sameContent(current, changed)) {
            return current;
        }
        changed = new Goal(changed.id(), ownerId, changed.objective(), changed.params(), changed.webhookUrl(),
                changed.status(), changed.createdAt(), clock.instant());
        if (!goals.update(changed)) {
            throw new NotFound(NOT_FOUND);
        }
        if (changed.status() != current.status()) {
            applyScheduleState(changed);
        }
        return changed;
    }

    public void delete(String ownerId, String id) {
        Goal goal = get(ownerId, id);
        for (Schedule schedule : schedules.listForGoal(ownerId, goal.id())) {
            scheduler.remove(schedule);
        }
        if (!goals.delete(ownerId, id)) {
            throw new NotFound(NOT_FOUND);
        }
        files.get().deleteGoal(ownerId, id);
    }

    /** Pauses the goal and stops its schedules; pausing a paused goal changes nothing. */
    public Goal pause(String ownerId, String id) {
        return setStatus(ownerId, id, GoalStatus.PAUSED);
    }

    /** Makes the goal active again and restarts its schedules. */
    public Goal resume(String ownerId, String id) {
        return setStatus(ownerId, id, GoalStatus.ACTIVE);
    }

    private Goal setStatus(String ownerId, String id, GoalStatus status) {
        Goal current = get(ownerId, id);
        if (current.status() == status) {
            return current;
        }
        Goal changed = current.withStatus(status, clock.instant());
        if (!goals.update(changed)) {
            throw new NotFound(NOT_FOUND);
        }
        applyScheduleState(changed);
        return changed;
    }

    /** Schedules fire only while their goal is active. */
    private void applyScheduleState(Goal goal) {
        boolean active = goal.status() == GoalStatus.ACTIVE;
        for (Schedule schedule : schedules.listForGoal(goal.ownerId(), goal.id())) {
            if (active && !schedule.active()) {
                schedules.setActive(schedule, true);
                scheduler.resume(schedule);
            } else if (!active && schedule.active()) {
                schedules.setActive(schedule, false);
                scheduler.pause(schedule);
            }
        }
    }

    private static boolean sameContent(Goal a, Goal b) {
        return a.objective().equals(b.objective()) && Objects.equals(a.params(), b.params())
                && Objects.equals(a.webhookUrl(), b.webhookUrl()) && a.status() == b.status();
    }
}
