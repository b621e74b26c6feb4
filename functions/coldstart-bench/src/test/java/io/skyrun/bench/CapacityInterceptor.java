package io.skyrun.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts DynamoDB capacity for the benchmark. Installed for every SDK client of the runner's JVM through
 * the SDK's global interceptor file ({@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * in src/test/resources), so the skyrun beans are used exactly as they are.
 *
 * <ul>
 *   <li><b>reported</b>: every DynamoDB request that can is sent with {@code ReturnConsumedCapacity=TOTAL}
 *       and the {@code CapacityUnits} DynamoDB answers are summed (null when it answers none).</li>
 *   <li><b>computed</b>: the units DynamoDB's pricing rules give for the items this JVM wrote and read:
 *       reads 4 KB units (half for eventually consistent reads), writes 1 KB units per item and per global
 *       secondary index entry written (ALL projection), transactional reads and writes of items twice (their
 *       index entries once, as they propagate after the transaction). The size of an item before a
 *       write comes from a shadow copy of every item this JVM has written or read.</li>
 * </ul>
 *
 * Calls are attributed to the label the calling thread set with {@link #label(String)}; calls from other
 * threads (the local run worker) are attributed to their thread's name.
 */
public class CapacityInterceptor implements ExecutionInterceptor {
    private static final ThreadLocal<String> LABEL = new ThreadLocal<>();
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** Last known image of each item, by table + primary key. */
    private static final Map<String, Map<String, AttributeValue>> SHADOW = new ConcurrentHashMap<>();
    private static volatile Map<String, List<String>> indexKeys = Map.of();
    private static volatile List<String> primaryKey = List.of("PK", "SK");

    /**
     * One DynamoDB call.
     *
     * @param reported capacity units DynamoDB returned, or null when it returned none
     * @param reads    computed read units
     * @param writes   computed write units
     * @param note     what the computed figure could not know
     */
    public record Call(String label, String operation, Double reported, double reads, double writes, String note) {
    }

    /** Attributes the current thread's following calls to {@code label} (null: to the thread name). */
    public static void label(String label) {
        if (label == null) {
            LABEL.remove();
        } else {
            LABEL.set(label);
        }
    }

    /** The table's key attributes: primary key, and the hash/range attributes of each global secondary index. */
    public static void schema(List<String> primary, Map<String, List<String>> indexes) {
        primaryKey = List.copyOf(primary);
        indexKeys = Map.copyOf(indexes);
    }

    public static List<Call> calls() {
        return List.copyOf(CALLS);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof GetItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof PutItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof UpdateItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof DeleteItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof QueryRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof ScanRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof BatchGetItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof BatchWriteItemRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof TransactGetItemsRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof TransactWriteItemsRequest q && q.returnConsumedCapacity() == null) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof DynamoDbRequest request) {
            record(request, context.response(), attributes, null);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof DynamoDbRequest request) {
            // a failed condition still consumes write capacity; other failures are reported as they are
            record(request, null, attributes, context.exception().getClass().getSimpleName());
        }
    }

    private void record(DynamoDbRequest request, SdkResponse response, ExecutionAttributes attributes, String failure) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String label = LABEL.get() != null ? LABEL.get() : "thread " + Thread.currentThread().getName();
        Units units = compute(request, response);
        String note = failure == null ? units.note : failure + (units.note.isEmpty() ? "" : "; " + units.note);
        CALLS.add(new Call(label, operation, reported(response), units.reads, units.writes, note));
    }

    /** Sum of the CapacityUnits DynamoDB returned (one value, or one per table for batches and transactions). */
    static Double reported(SdkResponse response) {
        if (response == null) {
            return null;
        }
        Object value = response.getValueForField("ConsumedCapacity", Object.class).orElse(null);
        Collection<?> list = value instanceof Collection<?> c ? c : value == null ? List.of() : List.of(value);
        Double sum = null;
        for (Object o : list) {
            if (o instanceof ConsumedCapacity cc && cc.capacityUnits() != null) {
                sum = (sum == null ? 0 : sum) + cc.capacityUnits();
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- DynamoDB's capacity rules

    private static final class Units {
        double reads;
        double writes;
        String note = "";

        void note(String text) {
            if (!note.contains(text)) {
                note = note.isEmpty() ? text : note + "; " + text;
            }
        }
    }

    private Units compute(DynamoDbRequest request, SdkResponse response) {
        Units u = new Units();
        if (request instanceof GetItemRequest q) {
            Map<String, AttributeValue> item = response instanceof GetItemResponse r && r.hasItem() ? r.item() : Map.of();
            remember(q.tableName(), item);
            u.reads = readUnits(size(item), Boolean.TRUE.equals(q.consistentRead()));
        } else if (request instanceof QueryRequest q) {
            List<Map<String, AttributeValue>> items = response instanceof QueryResponse r && r.hasItems() ? r.items() : List.of();
            u.reads = readUnits(items.stream().mapToLong(CapacityInterceptor::size).sum(),
                    q.indexName() == null && Boolean.TRUE.equals(q.consistentRead()));
            items.forEach(i -> remember(q.tableName(), i));
            if (q.filterExpression() != null) {
                u.note("filtered: sized by items returned, DynamoDB bills items read");
            }
        } else if (request instanceof ScanRequest q) {
            List<Map<String, AttributeValue>> items = response instanceof ScanResponse r && r.hasItems() ? r.items() : List.of();
            u.reads = readUnits(items.stream().mapToLong(CapacityInterceptor::size).sum(), Boolean.TRUE.equals(q.consistentRead()));
        } else if (request instanceof PutItemRequest q) {
            u.writes = write(q.tableName(), q.item(), response != null, 1, u);
        } else if (request instanceof UpdateItemRequest q) {
            Map<String, AttributeValue> after = response instanceof UpdateItemResponse r && r.hasAttributes()
                    && "ALL_NEW".equals(q.returnValuesAsString()) ? r.attributes() : null;
            if (after == null) {
                after = applyUpdate(SHADOW.get(key(q.tableName(), q.key())), q.key(), q.updateExpression(),
                        q.expressionAttributeNames(), q.expressionAttributeValues(), u);
            }
            u.writes = write(q.tableName(), after, response != null, 1, u);
        } else if (request instanceof DeleteItemRequest q) {
            u.writes = delete(q.tableName(), q.key(), response instanceof DeleteItemResponse, 1, u);
        } else if (request instanceof BatchWriteItemRequest q) {
            q.requestItems().forEach((table, writes) -> {
                for (WriteRequest w : writes) {
                    u.writes += w.putRequest() != null ? write(table, w.putRequest().item(), true, 1, u)
                            : delete(table, w.deleteRequest().key(), true, 1, u);
                }
            });
            u.note("unprocessed items not subtracted");
        } else if (request instanceof BatchGetItemRequest q) {
            if (response instanceof BatchGetItemResponse r) {
                r.responses().forEach((table, items) -> items.forEach(i -> {
                    remember(table, i);
                    boolean consistent = Boolean.TRUE.equals(q.requestItems().get(table).consistentRead());
                    u.reads += readUnits(size(i), consistent);
                }));
            }
        } else if (request instanceof TransactGetItemsRequest && response instanceof TransactGetItemsResponse r) {
            r.responses().forEach(i -> u.reads += 2 * readUnits(i.hasItem() ? size(i.item()) : 0, true));
        } else if (request instanceof TransactWriteItemsRequest q) {
            boolean ok = response != null;
            for (TransactWriteItem t : q.transactItems()) {
                if (t.put() != null) {
                    u.writes += write(t.put().tableName(), t.put().item(), ok, 2, u);
                } else if (t.delete() != null) {
                    u.writes += delete(t.delete().tableName(), t.delete().key(), ok, 2, u);
                } else if (t.update() != null) {
                    Map<String, AttributeValue> after = applyUpdate(SHADOW.get(key(t.update().tableName(), t.update().key())),
                            t.update().key(), t.update().updateExpression(), t.update().expressionAttributeNames(),
                            t.update().expressionAttributeValues(), u);
                    u.writes += write(t.update().tableName(), after, ok, 2, u);
                } else if (t.conditionCheck() != null) {
                    Map<String, AttributeValue> item = SHADOW.get(key(t.conditionCheck().tableName(), t.conditionCheck().key()));
                    u.writes += 2 * writeUnits(item == null ? 0 : size(item));
                }
            }
        } else {
            u.note("no rule for this operation");
        }
        return u;
    }

    /**
     * The item after an update expression's SET and REMOVE clauses (plain assignments, as the enhanced client
     * writes them), applied to the last known image; ADD, DELETE and SET arithmetic are not modelled.
     */
    static Map<String, AttributeValue> applyUpdate(Map<String, AttributeValue> before, Map<String, AttributeValue> key,
                                                   String expression, Map<String, String> names,
                                                   Map<String, AttributeValue> values, Units u) {
        Map<String, AttributeValue> after = new java.util.LinkedHashMap<>(before == null ? key : before);
        if (before == null) {
            u.note("updated item unknown: sized by its key and new values");
        }
        if (expression == null) {
            return after;
        }
        java.util.regex.Matcher clauses = java.util.regex.Pattern
                .compile("(?i)\\b(SET|REMOVE|ADD|DELETE)\\s+(.*?)(?=\\s+\\b(?:SET|REMOVE|ADD|DELETE)\\s|$)")
                .matcher(expression.strip());
        while (clauses.find()) {
            String action = clauses.group(1).toUpperCase(java.util.Locale.ROOT);
            for (String part : clauses.group(2).split(",")) {
                String[] sides = part.split("=", 2);
                String name = sides[0].strip();
                name = names != null && names.containsKey(name) ? names.get(name) : name;
                if (action.equals("SET") && sides.length == 2 && values != null
                        && values.containsKey(sides[1].strip())) {
                    after.put(name, values.get(sides[1].strip()));
                } else if (action.equals("REMOVE")) {
                    after.remove(name);
                } else {
                    u.note("update expression partly modelled: " + action);
                }
            }
        }
        return after;
    }

    /** Units of writing {@code item} over whatever was there; updates the shadow when the write happened. */
    private double write(String table, Map<String, AttributeValue> item, boolean happened, int factor, Units u) {
        String key = key(table, item);
        Map<String, AttributeValue> before = SHADOW.get(key);
        long size = Math.max(size(item), before == null ? 0 : size(before));
        double units = factor * writeUnits(size);
        if (happened) {
            // index entries are written after the item (also after a transaction): plain writes
            units += indexWrites(before, item);
            SHADOW.put(key, item);
        } else {
            u.note("condition failed: table write only");
        }
        return units;
    }

    private double delete(String table, Map<String, AttributeValue> key, boolean happened, int factor, Units u) {
        Map<String, AttributeValue> before = SHADOW.remove(key(table, key));
        if (before == null) {
            u.note("deleted item unknown: 1 unit, no index entries");
            return factor;
        }
        double units = factor * writeUnits(size(before));
        if (happened) {
            units += indexWrites(before, null);
        }
        return units;
    }

    /** Index entry writes: a put where the item enters an index, a delete where it leaves, both where its index key changes. */
    private static double indexWrites(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        double units = 0;
        for (List<String> keys : indexKeys.values()) {
            boolean was = before != null && before.keySet().containsAll(keys);
            boolean is = after != null && after.keySet().containsAll(keys);
            if (was && is) {
                boolean sameKey = keys.stream().allMatch(k -> before.get(k).equals(after.get(k)));
                units += sameKey ? writeUnits(Math.max(size(before), size(after)))
                        : writeUnits(size(before)) + writeUnits(size(after));
            } else if (was) {
                units += writeUnits(size(before));
            } else if (is) {
                units += writeUnits(size(after));
            }
        }
        return units;
    }

    private static void remember(String table, Map<String, AttributeValue> item) {
        if (item != null && item.keySet().containsAll(primaryKey)) {
            SHADOW.put(key(table, item), item);
        }
    }

    private static String key(String table, Map<String, AttributeValue> item) {
        List<String> parts = new ArrayList<>();
        parts.add(table);
        for (String k : primaryKey) {
            AttributeValue v = item.get(k);
            parts.add(v == null ? "" : v.s());
        }
        return String.join("\u0000", parts);
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    /** Item size by DynamoDB's rules: attribute names plus values; lists and maps 3 bytes plus 1 per element. */
    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + size(e.getValue());
        }
        return bytes;
    }

    static long size(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(CapacityInterceptor::utf8).sum();
            case NS -> v.ns().stream().mapToLong(CapacityInterceptor::number).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + size(e)).sum();
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> utf8(e.getKey()) + 1 + size(e.getValue())).sum();
            default -> 0;
        };
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** About one byte per two significant digits, plus one. */
    private static long number(String n) {
        String digits = n.replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
        return (digits.length() + 1) / 2 + 1;
    }
}
