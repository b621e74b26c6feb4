package io.skyrun.storage.dynamo;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single skyrun table and the few operations every repository needs on it: conditional puts,
 * queries that follow pages, and batched deletes. Never scans.
 */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoTable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoTable.class);
    private static final int BATCH = 25;
    /** The condition of a write that must create its item, never overwrite one. */
    public static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbTable<Item> table;
    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbClient client;
    private final String name;

    public DynamoTable(DynamoDbEnhancedClient enhanced, DynamoDbClient client, DynamoConfig config) {
        this.enhanced = enhanced;
        this.client = client;
        this.name = config.table();
        this.table = enhanced.table(config.table(), Item.SCHEMA);
        if (config.createTable()) {
            createIfMissing();
        }
    }

    public DynamoDbTable<Item> table() {
        return table;
    }

    public DynamoDbEnhancedClient enhanced() {
        return enhanced;
    }

    public DynamoDbIndex<Item> index(String indexName) {
        return table.index(indexName);
    }

    public Optional<Item> get(String pk, String sk) {
        return Optional.ofNullable(table.getItem(Key.builder().partitionValue(pk).sortValue(sk).build()));
    }

    /** Writes an item that must not exist yet; never overwrites. */
    public void putNew(Item item) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(Item.class).item(item)
                    .conditionExpression(NEW_ITEM)
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("item " + item.pk + " / " + item.sk + " already exists", e);
        }
    }

    /** Replaces an item only if the condition holds; false when it does not (or the item is gone). */
    public boolean putIf(Item item, Expression condition) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(Item.class).item(item).conditionExpression(condition).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Writes the item only while its parent item (a goal or a run) exists and belongs to the owner, in one
     * transaction: DynamoDB has no foreign keys, and a child written after its parent's delete would be left
     * behind. False when either condition fails.
     */
    public boolean putUnderParent(Item item, Expression itemCondition, String parentPk, String parentSk, String ownerId) {
        try {
            enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addConditionCheck(table, ConditionCheck.builder()
                            .key(Key.builder().partitionValue(parentPk).sortValue(parentSk).build())
                            .conditionExpression(condition("attribute_exists(PK) AND ownerId = :owner",
                                    Map.of(":owner", s(ownerId))))
                            .build())
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(Item.class).item(item)
                            .conditionExpression(itemCondition).build())
                    .build());
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    /** Every item of a key range on the table or an index, following pages, up to {@code limit}. */
    public List<Item> query(String indexName, QueryConditional condition, boolean newestFirst, Expression filter, int limit) {
        QueryEnhancedRequest.Builder request = QueryEnhancedRequest.builder()
                .queryConditional(condition)
                .scanIndexForward(!newestFirst);
        if (filter != null) {
            request.filterExpression(filter);
        }
        if (limit < Integer.MAX_VALUE) {
            request.limit(Math.min(limit, 1000));
        }
        Iterator<Page<Item>> pages = indexName == null
                ? table.query(request.build()).iterator()
                : table.index(indexName).query(request.build()).iterator();
        List<Item> out = new ArrayList<>();
        while (pages.hasNext() && out.size() < limit) {
            for (Item item : pages.next().items()) {
                out.add(item);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** The whole partition of an index, or only the items sorting before {@code before} when it is set. */
    public static QueryConditional before(String partition, String before) {
        return before == null
                ? QueryConditional.keyEqualTo(k -> k.partitionValue(partition))
                : QueryConditional.sortLessThan(k -> k.partitionValue(partition).sortValue(before));
    }

    /** Deletes items in batches of 25, retrying what DynamoDB leaves unprocessed. */
    public void deleteAll(List<Item> items) {
        for (int from = 0; from < items.size(); from += BATCH) {
            List<Item> chunk = items.subList(from, Math.min(items.size(), from + BATCH));
            WriteBatch.Builder<Item> batch = WriteBatch.builder(Item.class).mappedTableResource(table);
            chunk.forEach(i -> batch.addDeleteItem(Key.builder().partitionValue(i.pk).sortValue(i.sk).build()));
            BatchWriteResult result = enhanced.batchWriteItem(BatchWriteItemEnhancedRequest.builder()
                    .writeBatches(batch.build()).build());
            List<Key> left = result.unprocessedDeleteItemsForTable(table);
            for (int attempt = 1; !left.isEmpty(); attempt++) {
                if (attempt > 8) {
                    throw new IllegalStateException(left.size() + " deletes left unprocessed by DynamoDB");
                }
                sleep(25L << attempt);
                WriteBatch.Builder<Item> retry = WriteBatch.builder(Item.class).mappedTableResource(table);
                left.forEach(retry::addDeleteItem);
                left = enhanced.batchWriteItem(BatchWriteItemEnhancedRequest.builder().writeBatches(retry.build()).build())
                        .unprocessedDeleteItemsForTable(table);
            }
        }
    }

    public static Expression condition(String expression, Map<String, AttributeValue> values) {
        return Expression.builder().expression(expression).expressionValues(values).build();
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Creates the table as the CDK stack does (on-demand, three GSIs, TTL on {@code expiresAt}) unless it exists. */
    private void createIfMissing() {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (String attribute : List.of("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK")) {
            attributes.add(AttributeDefinition.builder().attributeName(attribute).attributeType(ScalarAttributeType.S).build());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (String index : List.of(Item.GSI1, Item.GSI2, Item.GSI3)) {
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index)
                    .keySchema(key(index + "PK", KeyType.HASH), key(index + "SK", KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        try {
            client.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes)
                    .keySchema(key("PK", KeyType.HASH), key("SK", KeyType.RANGE))
                    .globalSecondaryIndexes(indexes)
                    .build());
        } catch (ResourceInUseException e) {
            LOG.debug("Table {} exists", name);
            return;
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(name));
        client.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName("expiresAt").enabled(true).build())
                .build());
        LOG.info("Created DynamoDB table {}", name);
    }

    private static KeySchemaElement key(String attribute, KeyType type) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying deletes", e);
        }
    }
}
