package io.skyrun.goals.jdbc;

import io.micronaut.context.annotation.Requires;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalParams;
import io.skyrun.goals.GoalRepository;
import io.skyrun.goals.GoalStatus;
import io.skyrun.json.JsonCodec;
import io.skyrun.paging.Cursor;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Goal storage on a relational database (embedded H2 by default, PostgreSQL by configuration). */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcGoalRepository implements GoalRepository {
    private final GoalRows rows;
    private final JsonCodec json;

    public JdbcGoalRepository(GoalRows rows, JsonCodec json) {
        this.rows = rows;
        this.json = json;
    }

    @Override
    public void create(Goal goal, String webhookSecret) {
        rows.save(toRow(goal, webhookSecret));
    }

    @Override
    public Optional<String> webhookSecret(String ownerId, String goalId) {
        return rows.secretOf(goalId, ownerId);
    }

    @Override
    public boolean setWebhookSecret(String ownerId, String goalId, String secret) {
        return rows.setSecret(goalId, ownerId, secret) > 0;
    }

    @Override
    public boolean update(Goal goal) {
        GoalRow row = toRow(goal, null);
        return rows.change(row.id(), row.ownerId(), row.objective(), row.params(), row.webhookUrl(), row.status(),
                row.updatedAt()) > 0;
    }

    @Override
    public Optional<Goal> find(String ownerId, String id) {
        return rows.findByIdAndOwnerId(id, ownerId).map(this::toGoal);
    }

    @Override
    public Page<Goal> list(String ownerId, GoalStatus status, PageRequest page) {
        Cursor after = page.after();
        List<Goal> found = rows.page(ownerId, status == null ? null : status.wire(),
                        after == null ? 0 : after.createdAtMillis(), after == null ? null : after.id(), page.limit() + 1)
                .stream().map(this::toGoal).toList();
        return Page.of(found, page.limit(), g -> Cursor.after(g.createdAt(), g.id()));
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return rows.remove(id, ownerId) > 0;
    }

    private GoalRow toRow(Goal goal, String webhookSecret) {
        return new GoalRow(goal.id(), goal.ownerId(), goal.objective(), json.write(goal.params().asMap()),
                goal.webhookUrl(), goal.status().wire(), goal.createdAt().toEpochMilli(), goal.updatedAt().toEpochMilli(), webhookSecret);
    }

    private Goal toGoal(GoalRow row) {
        return new Goal(row.id(), row.ownerId(), row.objective(), GoalParams.fromMap(json.readMap(row.params())),
                row.webhookUrl(), GoalStatus.parse(row.status()).orElseThrow(), Instant.ofEpochMilli(row.createdAt()),
                Instant.ofEpochMilli(row.updatedAt()));
    }
}
