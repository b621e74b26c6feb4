package io.skyrun.runs.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.agent.Usage;
import io.skyrun.json.JsonCodec;
import io.skyrun.paging.Cursor;
import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.Step;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactUpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skyrun.time.Timestamps.instant;
import static io.skyrun.time.Timestamps.millis;
import static io.skyrun.storage.dynamo.DynamoTable.condition;
import static io.skyrun.storage.dynamo.DynamoTable.s;

/**
 * Run and step storage on the single table. A run and its steps share a partition; every state change
 * is a conditional write, and a step is written in one transaction with the run's progress.
 */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoRunRepository implements RunRepository {
    private final DynamoTable table;
    private final JsonCodec json;

    public DynamoRunRepository(DynamoTable table, JsonCodec json) {
        this.table = table;
        this.json = json;
    }

    @Override
    public void create(Run run) {
        table.putNew(toItem(run));
    }

    @Override
    public Optional<Run> find(String ownerId, String id) {
        return findById(id).filter(r -> ownerId.equals(r.ownerId()));
    }

    @Override
    public Optional<Run> findById(String id) {
        return table.get(Keys.run(id), Keys.RUN_SK).map(this::toRun);
    }

    @Override
    public Page<Run> list(String ownerId, String goalId, RunStatus status, PageRequest page) {
        Cursor after = page.after();
        String before = after == null ? null : Keys.byTime(after.createdAtMillis(), after.id());
        int fetch = page.limit() + 1;
        List<Item> items;
        if (goalId != null) {
            Expression filter = status == null
                    ? condition("ownerId = :owner", Map.of(":owner", s(ownerId)))
                    : Expression.builder().expression("ownerId = :owner AND #status = :status")
                    .expressionNames(Map.of("#status", "status"))
                    .expressionValues(Map.of(":owner", s(ownerId), ":status", s(status.wire()))).build();
            items = table.query(Item.GSI2, DynamoTable.before(Keys.goalRuns(goalId), before), true, filter, fetch);
        } else if (status != null) {
            // one owner's runs are a key range of the status partition: its prefix up to the cursor, inclusive
            String partition = Keys.runsInStatus(status.wire());
            String prefix = Keys.ownerPrefix(ownerId);
            QueryConditional range = after == null
                    ? QueryConditional.sortBeginsWith(k -> k.partitionValue(partition).sortValue(prefix))
                    : QueryConditional.sortBetween(k -> k.partitionValue(partition).sortValue(prefix),
                            k -> k.partitionValue(partition).sortValue(Keys.byOwnerAndTime(ownerId,
                                    after.createdAtMillis(), after.id())));
            items = table.query(Item.GSI3, range, true, null, fetch + (after == null ? 0 : 1)).stream()
                    .filter(i -> after == null || !after.id().equals(i.id))
                    .limit(fetch)
                    .toList();
        } else {
            items = table.query(Item.GSI1, DynamoTable.before(Keys.ownerRuns(ownerId), before), true, null, fetch);
        }
        return Page.of(items.stream().map(this::toRun).toList(), page.limit(),
                r -> Cursor.after(r.createdAt(), r.id()));
    }

    @Override
    public List<String> pendingIds(int limit) {
        return idsInStatus(RunStatus.PENDING, limit);
    }

    @Override
    public List<String> runningIds(int limit) {
        return idsInStatus(RunStatus.RUNNING, limit);
    }

    private List<String> idsInStatus(RunStatus status, int limit) {
        return table.query(Item.GSI3, QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.runsInStatus(status.wire()))),
                false, null, limit).stream().map(i -> i.id).toList();
    }

    @Override
    public boolean claim(String id, Instant now, Instant leaseUntil) {
        Item fresh = key(id);
        fresh.status = RunStatus.RUNNING.wire();
        fresh.startedAt = now.toEpochMilli();
        fresh.leaseUntil = leaseUntil.toEpochMilli();
        fresh.gsi3pk = Keys.runsInStatus(fresh.status);
        if (update(fresh, onlyIn(RunStatus.PENDING))) {
            return true;
        }
        Item takeOver = key(id);
        takeOver.leaseUntil = leaseUntil.toEpochMilli();
        return update(takeOver, Expression.builder()
                .expression("attribute_exists(PK) AND #status = :running AND "
                        + "(attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                .expressionNames(Map.of("#status", "status"))
                .expressionValues(Map.of(":running", s(RunStatus.RUNNING.wire()),
                        ":now", DynamoTable.n(now.toEpochMilli())))
                .build());
    }

    @Override
    public void release(String id) {
        Item change = key(id);
        change.leaseUntil = 0L;
        update(change, onlyIn(RunStatus.RUNNING));
    }

    @Override
    public boolean appendStep(Step s, int stepsExecuted, Map<String, Object> workingMemory, Usage runUsage,
                              Instant leaseUntil) {
        Item progress = key(s.runId());
        progress.stepsExecuted = stepsExecuted;
        progress.inputTokens = runUsage.inputTokens();
        progress.outputTokens = runUsage.outputTokens();
        progress.leaseUntil = leaseUntil.toEpochMilli();
        progress.workingMemory = json.write(workingMemory);
        try {
            table.enhanced().transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addUpdateItem(table.table(), TransactUpdateItemEnhancedRequest.builder(Item.class)
                            .item(progress).ignoreNulls(true).conditionExpression(onlyIn(RunStatus.RUNNING)).build())
                    .addPutItem(table.table(), TransactPutItemEnhancedRequest.builder(Item.class)
                            .item(toItem(s))
                            .conditionExpression(DynamoTable.NEW_ITEM)
                            .build())
                    .build());
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    @Override
    public boolean finish(String id, RunStatus status, Instant endedAt, String error, Map<String, Object> workingMemory) {
        Item change = key(id);
        change.status = status.wire();
        change.endedAt = endedAt.toEpochMilli();
        change.error = error;
        change.workingMemory = workingMemory == null ? null : json.write(workingMemory);
        change.gsi3pk = Keys.runsInStatus(change.status);
        return update(change, onlyIn(RunStatus.PENDING, RunStatus.RUNNING));
    }

    @Override
    public List<Step> steps(String ownerId, String runId) {
        if (find(ownerId, runId).isEmpty()) {
            return List.of();
        }
        return table.query(null, QueryConditional.sortBeginsWith(Key.builder().partitionValue(Keys.run(runId))
                        .sortValue(Keys.STEP_PREFIX).build()), false, null, Integer.MAX_VALUE).stream()
                .map(this::toStep).toList();
    }

    @Override
    public boolean delete(String ownerId, String id) {
        if (find(ownerId, id).isEmpty()) {
            return false;
        }
        List<Item> items = new java.util.ArrayList<>(table.query(null,
                QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.run(id)).build()), false, null,
                Integer.MAX_VALUE));
        // steps first, the run item last: a delete cut short never leaves steps without their run
        items.sort((a, b) -> Boolean.compare(Keys.RUN_SK.equals(a.sk), Keys.RUN_SK.equals(b.sk)));
        table.deleteAll(items);
        return true;
    }

    private boolean update(Item change, Expression condition) {
        try {
            table.table().updateItem(UpdateItemEnhancedRequest.builder(Item.class)
                    .item(change).ignoreNulls(true).conditionExpression(condition).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Expression onlyIn(RunStatus... statuses) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values = new LinkedHashMap<>();
        StringBuilder expression = new StringBuilder("attribute_exists(PK) AND #status IN (");
        for (int i = 0; i < statuses.length; i++) {
            expression.append(i == 0 ? "" : ", ").append(":s").append(i);
            values.put(":s" + i, s(statuses[i].wire()));
        }
        return Expression.builder().expression(expression.append(')').toString())
                .expressionNames(Map.of("#status", "status")).expressionValues(values).build();
    }

    private static Item key(String runId) {
        Item item = new Item();
        item.pk = Keys.run(runId);
        item.sk = Keys.RUN_SK;
        return item;
    }

    private Item toItem(Run r) {
        Item item = key(r.id());
        item.type = "run";
        item.id = r.id();
        item.ownerId = r.ownerId();
        item.goalId = r.goalId();
        item.status = r.status().wire();
        item.startedAt = millis(r.startedAt());
        item.endedAt = millis(r.endedAt());
        item.workingMemory = json.write(r.workingMemory());
        item.stepBudget = r.stepBudget();
        item.stepsExecuted = r.stepsExecuted();
        item.inputTokens = r.usage().inputTokens();
        item.outputTokens = r.usage().outputTokens();
        item.error = r.error();
        item.createdAt = r.createdAt().toEpochMilli();
        String byTime = Keys.byTime(item.createdAt, r.id());
        item.gsi1pk = Keys.ownerRuns(r.ownerId());
        item.gsi1sk = byTime;
        item.gsi2pk = Keys.goalRuns(r.goalId());
        item.gsi2sk = byTime;
        item.gsi3pk = Keys.runsInStatus(item.status);
        item.gsi3sk = Keys.byOwnerAndTime(r.ownerId(), item.createdAt, r.id());
        return item;
    }

    private Item toItem(Step s) {
        Item item = new Item();
        item.pk = Keys.run(s.runId());
        item.sk = Keys.step(s.stepNo());
        item.type = "step";
        item.id = s.id();
        item.ownerId = s.ownerId();
        item.runId = s.runId();
        item.stepNo = s.stepNo();
        item.thought = s.thought();
        item.toolName = s.toolName();
        item.toolInput = json.write(s.toolInput());
        item.observation = s.observation();
        item.durationMs = s.durationMs();
        item.error = s.error();
        item.createdAt = s.createdAt().toEpochMilli();
        if (s.usage() != null) {
            item.inputTokens = s.usage().inputTokens();
            item.outputTokens = s.usage().outputTokens();
        }
        return item;
    }

    private Run toRun(Item i) {
        Map<String, Object> memory = json.readMap(i.workingMemory);
        return new Run(i.id, i.ownerId, i.goalId, RunStatus.parse(i.status).orElseThrow(),
                instant(i.startedAt),
                instant(i.endedAt),
                memory == null ? new LinkedHashMap<>() : memory, i.stepBudget, i.stepsExecuted, i.error,
                Instant.ofEpochMilli(i.createdAt), usage(i));
    }

    private Step toStep(Item i) {
        return new Step(i.id, i.ownerId, i.runId, i.stepNo, i.thought, i.toolName, json.readMap(i.toolInput),
                i.observation, i.durationMs, i.error, Instant.ofEpochMilli(i.createdAt),
                i.inputTokens == null ? null : usage(i));
    }

    // runs stored before token counting have no counts: zero
    private static Usage usage(Item i) {
        return new Usage(i.inputTokens == null ? 0 : i.inputTokens, i.outputTokens == null ? 0 : i.outputTokens);
    }
}
