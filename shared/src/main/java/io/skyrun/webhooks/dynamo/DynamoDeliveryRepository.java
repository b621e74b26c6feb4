package io.skyrun.webhooks.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import io.skyrun.webhooks.DeliveryRecord;
import io.skyrun.webhooks.DeliveryRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

import java.time.Instant;
import java.util.List;

/** Webhook delivery records on the single DynamoDB table, in the run's partition (they go with the run). */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoDeliveryRepository implements DeliveryRepository {
    private final DynamoTable table;

    public DynamoDeliveryRepository(DynamoTable table) {
        this.table = table;
    }

    @Override
    public void add(DeliveryRecord r) {
        Item item = new Item();
        item.pk = Keys.run(r.runId());
        item.sk = Keys.delivery(r.id());
        item.type = "delivery";
        item.id = r.id();
        item.ownerId = r.ownerId();
        item.runId = r.runId();
        item.goalId = r.goalId();
        item.event = r.event();
        item.url = r.url();
        item.attempt = r.attempt();
        item.statusCode = r.statusCode();
        item.error = r.error();
        item.durationMs = r.durationMs();
        item.createdAt = r.createdAt().toEpochMilli();
        // only while the run exists: a record written after the run's delete would be left behind
        if (!table.putUnderParent(item, DynamoTable.NEW_ITEM,
                Keys.run(r.runId()), Keys.RUN_SK, r.ownerId())) {
            throw new IllegalStateException("run " + r.runId() + " is gone; delivery attempt not recorded");
        }
    }

    @Override
    public List<DeliveryRecord> list(String ownerId, String runId) {
        return table.query(null, QueryConditional.sortBeginsWith(Key.builder().partitionValue(Keys.run(runId))
                        .sortValue(Keys.DELIVERY_PREFIX).build()), false, null, Integer.MAX_VALUE).stream()
                .filter(i -> ownerId.equals(i.ownerId))
                .map(i -> new DeliveryRecord(i.id, i.ownerId, i.runId, i.goalId, i.event, i.url, i.attempt,
                        i.statusCode, i.error, i.durationMs, Instant.ofEpochMilli(i.createdAt)))
                .toList();
    }
}
