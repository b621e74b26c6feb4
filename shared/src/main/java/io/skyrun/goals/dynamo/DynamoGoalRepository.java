package io.skyrun.goals.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalParams;
import io.skyrun.goals.GoalRepository;
import io.skyrun.goals.GoalStatus;
import io.skyrun.json.JsonCodec;
import io.skyrun.paging.Cursor;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skyrun.storage.dynamo.DynamoTable.condition;
import static io.skyrun.storage.dynamo.DynamoTable.s;

/** Goal storage on the single DynamoDB table; deleting a goal removes its schedules, runs and steps in batches. */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoGoalRepository implements GoalRepository {
    private final DynamoTable table;
    private final JsonCodec json;

    public DynamoGoalRepository(DynamoTable table, JsonCodec json) {
        this.table = table;
        this.json = json;
    }

    @Override
    public void create(Goal goal, String webhookSecret) {
        Item item = toItem(goal);
        item.webhookSecret = webhookSecret;
        table.putNew(item);
    }

    @Override
    public Optional<String> webhookSecret(String ownerId, String goalId) {
        return table.get(Keys.goal(goalId), Keys.GOAL_SK).filter(i -> ownerId.equals(i.ownerId))
                .map(i -> i.webhookSecret);
    }

    @Override
    public boolean setWebhookSecret(String ownerId, String goalId, String secret) {
        // read, change, write back only if nobody changed the goal in between; else read again
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Item> stored = table.get(Keys.goal(goalId), Keys.GOAL_SK).filter(i -> ownerId.equals(i.ownerId));
            if (stored.isEmpty()) {
                return false;
            }
            Item item = stored.get();
            String before = item.webhookSecret;
            item.webhookSecret = secret;
            Expression unchanged = before == null
                    ? condition("ownerId = :owner AND updatedAt = :updated AND attribute_not_exists(webhookSecret)",
                            Map.of(":owner", s(ownerId), ":updated", DynamoTable.n(item.updatedAt)))
                    : condition("ownerId = :owner AND updatedAt = :updated AND webhookSecret = :before",
                            Map.of(":owner", s(ownerId), ":updated", DynamoTable.n(item.updatedAt), ":before", s(before)));
            if (table.putIf(item, unchanged)) {
                return true;
            }
        }
        throw new IllegalStateException("goal " + goalId + " kept changing while its webhook secret was set");
    }

    @Override
    public boolean update(Goal goal) {
        return update(goal, 0);
    }

    private boolean update(Goal goal, int attempt) {
        Optional<Item> stored = table.get(Keys.goal(goal.id()), Keys.GOAL_SK)
                .filter(i -> goal.ownerId().equals(i.ownerId));
        if (stored.isEmpty()) {
            return false;
        }
        // creation time is not a mutable field: keep the stored one (and the index keys built from it),
        // and the signing secret, which only setWebhookSecret changes
        Goal changed = new Goal(goal.id(), goal.ownerId(), goal.objective(), goal.params(), goal.webhookUrl(),
                goal.status(), Instant.ofEpochMilli(stored.get().createdAt), goal.updatedAt());
        Item item = toItem(changed);
        String secret = stored.get().webhookSecret;
        item.webhookSecret = secret;
        // a secret rotated between the read and this write must not be put back
        Expression unchanged = secret == null
                ? condition("attribute_exists(PK) AND ownerId = :owner AND attribute_not_exists(webhookSecret)",
                        Map.of(":owner", s(goal.ownerId())))
                : condition("attribute_exists(PK) AND ownerId = :owner AND webhookSecret = :secret",
                        Map.of(":owner", s(goal.ownerId()), ":secret", s(secret)));
        if (table.putIf(item, unchanged)) {
            return true;
        }
        // the secret changed meanwhile (or the goal went): read again and retry a few times
        return attempt < 3 && update(goal, attempt + 1);
    }

    @Override
    public Optional<Goal> find(String ownerId, String id) {
        return table.get(Keys.goal(id), Keys.GOAL_SK).filter(i -> ownerId.equals(i.ownerId)).map(this::toGoal);
    }

    @Override
    public Page<Goal> list(String ownerId, GoalStatus status, PageRequest page) {
        String before = page.after() == null ? null : Keys.byTime(page.after().createdAtMillis(), page.after().id());
        List<Item> items = status == null
                ? table.query(Item.GSI1, DynamoTable.before(Keys.ownerGoals(ownerId), before), true, null,
                        page.limit() + 1)
                : table.query(Item.GSI2, DynamoTable.before(Keys.ownerGoals(ownerId, status.wire()), before), true,
                        null, page.limit() + 1);
        return Page.of(items.stream().map(this::toGoal).toList(), page.limit(),
                g -> Cursor.after(g.createdAt(), g.id()));
    }

    @Override
    public boolean delete(String ownerId, String id) {
        if (find(ownerId, id).isEmpty()) {
            return false;
        }
        // the goal item and its schedules share the partition
        List<Item> doomed = new ArrayList<>(table.query(null,
                QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.goal(id)).build()), false, null,
                Integer.MAX_VALUE));
        for (Item run : table.query(Item.GSI2, QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.goalRuns(id))),
                false, null, Integer.MAX_VALUE)) {
            doomed.addAll(table.query(null,
                    QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.run(run.id)).build()), false, null,
                    Integer.MAX_VALUE));
        }
        // children first, so a failure half-way never leaves runs or schedules without their goal
        doomed.sort((a, b) -> Boolean.compare(Keys.GOAL_SK.equals(a.sk), Keys.GOAL_SK.equals(b.sk)));
        table.deleteAll(doomed);
        return true;
    }

    private Item toItem(Goal goal) {
        Item item = new Item();
        item.pk = Keys.goal(goal.id());
        item.sk = Keys.GOAL_SK;
        item.type = "goal";
        item.id = goal.id();
        item.ownerId = goal.ownerId();
        item.objective = goal.objective();
        item.params = json.write(goal.params().asMap());
        item.webhookUrl = goal.webhookUrl();
        item.status = goal.status().wire();
        item.createdAt = goal.createdAt().toEpochMilli();
        item.updatedAt = goal.updatedAt().toEpochMilli();
        item.gsi1pk = Keys.ownerGoals(goal.ownerId());
        item.gsi1sk = Keys.byTime(item.createdAt, goal.id());
        item.gsi2pk = Keys.ownerGoals(goal.ownerId(), item.status);
        item.gsi2sk = item.gsi1sk;
        return item;
    }

    private Goal toGoal(Item item) {
        return new Goal(item.id, item.ownerId, item.objective, GoalParams.fromMap(json.readMap(item.params)),
                item.webhookUrl, GoalStatus.parse(item.status).orElseThrow(), Instant.ofEpochMilli(item.createdAt),
                Instant.ofEpochMilli(item.updatedAt));
    }
}
