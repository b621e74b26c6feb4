package io.skyrun.schedule.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleRepository;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skyrun.time.Timestamps.instant;
import static io.skyrun.time.Timestamps.millis;
import static io.skyrun.storage.dynamo.DynamoTable.condition;
import static io.skyrun.storage.dynamo.DynamoTable.n;
import static io.skyrun.storage.dynamo.DynamoTable.s;

/**
 * Schedule storage on the single table, in its goal's partition. The active-by-owner and due indexes
 * are sparse: their keys exist only while a schedule is active (and, for due, has a next fire time).
 */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoScheduleRepository implements ScheduleRepository {
    private final DynamoTable table;
    private final software.amazon.awssdk.services.dynamodb.DynamoDbClient client;
    private final String tableName;

    public DynamoScheduleRepository(DynamoTable table, software.amazon.awssdk.services.dynamodb.DynamoDbClient client,
                                    io.skyrun.storage.dynamo.DynamoConfig config) {
        this.table = table;
        this.client = client;
        this.tableName = config.table();
    }

    @Override
    public void create(Schedule schedule) {
        table.putNew(toItem(schedule));
    }

    @Override
    public List<Schedule> listForGoal(String ownerId, String goalId) {
        return table.query(null, QueryConditional.sortBeginsWith(Key.builder().partitionValue(Keys.goal(goalId))
                        .sortValue(Keys.SCHEDULE_PREFIX).build()), false, null, Integer.MAX_VALUE).stream()
                .filter(i -> ownerId.equals(i.ownerId))
                .map(DynamoScheduleRepository::toSchedule)
                .sorted(java.util.Comparator.comparing(Schedule::createdAt).thenComparing(Schedule::id))
                .toList();
    }

    @Override
    public void setActive(Schedule schedule, boolean active) {
        change(schedule, current -> current.withActive(active, current.nextFireAt()), null);
    }

    @Override
    public void setNextFire(Schedule schedule, Instant nextFireAt) {
        change(schedule, current -> current.withActive(current.active(), nextFireAt), null);
    }

    @Override
    public void delete(Schedule schedule) {
        table.table().deleteItem(Key.builder().partitionValue(Keys.goal(schedule.goalId()))
                .sortValue(Keys.schedule(schedule.id())).build());
    }

    @Override
    public List<Schedule> due(Instant now, int limit) {
        return table.query(Item.GSI2, QueryConditional.sortLessThanOrEqualTo(k -> k.partitionValue(Keys.DUE)
                        .sortValue(Keys.byTime(now.toEpochMilli(), "~"))), false, null, limit).stream()
                .map(DynamoScheduleRepository::toSchedule)
                .toList();
    }

    @Override
    public boolean advance(Schedule schedule, Instant expected, Instant next) {
        return change(schedule, current -> current.withActive(current.active(), next),
                expected.toEpochMilli());
    }

    @Override
    public long countActive(String ownerId) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = client.query(QueryRequest.builder()
                    .tableName(tableName)
                    .indexName(Item.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.ownerActiveSchedules(ownerId))))
                    .select(Select.COUNT)
                    .exclusiveStartKey(start)
                    .build());
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /**
     * Read, change, and write back only if the item is as it was read (same active flag and next fire
     * time, or the given expected fire time), so concurrent changes and fire claims never both win.
     */
    private boolean change(Schedule schedule, java.util.function.UnaryOperator<Schedule> edit, Long expectedFire) {
        Optional<Item> found = table.get(Keys.goal(schedule.goalId()), Keys.schedule(schedule.id()));
        if (found.isEmpty() || !schedule.ownerId().equals(found.get().ownerId)) {
            return false;
        }
        Schedule current = toSchedule(found.get());
        if (expectedFire != null && (!current.active() || current.nextFireAt() == null
                || current.nextFireAt().toEpochMilli() != expectedFire)) {
            return false;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":active", AttributeValue.fromBool(current.active()));
        String expression = "active = :active AND ";
        if (current.nextFireAt() == null) {
            expression += "attribute_not_exists(nextFireAt)";
        } else {
            expression += "nextFireAt = :next";
            values.put(":next", n(current.nextFireAt().toEpochMilli()));
        }
        return table.putIf(toItem(edit.apply(current)), condition(expression, values));
    }

    private static Item toItem(Schedule s) {
        Item item = new Item();
        item.pk = Keys.goal(s.goalId());
        item.sk = Keys.schedule(s.id());
        item.type = "schedule";
        item.id = s.id();
        item.ownerId = s.ownerId();
        item.goalId = s.goalId();
        item.cronExpr = s.cronExpr();
        item.timezone = s.timezone();
        item.active = s.active();
        item.createdAt = s.createdAt().toEpochMilli();
        item.nextFireAt = millis(s.nextFireAt());
        if (s.active()) {
            item.gsi1pk = Keys.ownerActiveSchedules(s.ownerId());
            item.gsi1sk = s.id();
            if (s.nextFireAt() != null) {
                item.gsi2pk = Keys.DUE;
                item.gsi2sk = Keys.byTime(item.nextFireAt, s.id());
            }
        }
        return item;
    }

    private static Schedule toSchedule(Item i) {
        return new Schedule(i.id, i.ownerId, i.goalId, i.cronExpr, i.timezone, Boolean.TRUE.equals(i.active),
                Instant.ofEpochMilli(i.createdAt), instant(i.nextFireAt));
    }
}
