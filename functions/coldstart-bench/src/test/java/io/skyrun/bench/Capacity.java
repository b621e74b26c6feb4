package io.skyrun.bench;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.paging.PageRequest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.Step;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * DynamoDB capacity consumed by each API operation: the real skyrun services in an application context
 * of this JVM, on DynamoDB Local, as deployed ({@code SKYRUN_STORAGE=dynamodb}, EventBridge schedules),
 * except that runs go to the in-process worker ({@code skyrun.queue=local}) instead of SQS, so the run
 * actually executes and its steps can be read back. {@link CapacityInterceptor} counts every call.
 */
final class Capacity {
    static final String OWNER = "default";
    static final String TABLE = "bench-capacity";
    private static final String WORKER = "run execution (worker)";

    private final String dynamoEndpoint;

    Capacity(String dynamoEndpoint) {
        this.dynamoEndpoint = dynamoEndpoint;
    }

    void run() throws Exception {
        HttpServer eventBridge = eventBridgeStub();
        eventBridge.start();
        // StorageSelection reads the storage choice before configuration exists
        System.setProperty("skyrun.storage", "dynamodb");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("skyrun.storage", "dynamodb");
        props.put("skyrun.aws.dynamodb-endpoint", dynamoEndpoint);
        props.put("skyrun.dynamodb.table", TABLE);
        props.put("skyrun.dynamodb.create-table", true);
        props.put("skyrun.queue", "local");
        props.put("skyrun.worker.threads", 1);
        props.put("skyrun.worker.sweep-interval", "1h");
        props.put("skyrun.scheduler", "eventbridge");
        props.put("skyrun.aws.eventbridge-endpoint", "http://127.0.0.1:" + eventBridge.getAddress().getPort());
        props.put("skyrun.eventbridge.target-arn", "arn:aws:lambda:us-east-1:123456789012:function:schedule-trigger:live");
        props.put("skyrun.eventbridge.dead-letter-arn", "arn:aws:sqs:us-east-1:123456789012:skyrun-schedule-dlq");

        CapacityInterceptor.label("context start (table creation, pending-run recovery)");
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(sharedConfiguration())
                .properties(props)
                .start()) {
            describeTable();
            GoalService goals = context.getBean(GoalService.class);
            GoalRequests requests = context.getBean(GoalRequests.class);
            RunService runs = context.getBean(RunService.class);

            Goal plain = op("create goal", () -> goals.create(OWNER, requests.create(
                    "{\"objective\":\"Tell me the time in Tokyo\",\"params\":{\"allowedTools\":[\"current_time\"],"
                            + "\"constraints\":{\"timezone\":\"Asia/Tokyo\"}}}")));
            Goal scheduled = op("create goal + schedule", () -> goals.create(OWNER, requests.create(
                    "{\"objective\":\"Summarize https://example.com for the team\",\"params\":{\"stepBudget\":10,"
                            + "\"allowedTools\":[\"web_scrape\",\"current_time\"],\"constraints\":{\"tone\":\"brief\"}},"
                            + "\"webhookUrl\":\"https://hooks.example.com/skyrun\","
                            + "\"schedule\":{\"cronExpr\":\"0 9 * * 1-5\",\"timezone\":\"Europe/Berlin\"}}")));
            op("get goal (+ schedules)", () -> List.of(goals.get(OWNER, scheduled.id()), goals.schedules(OWNER, scheduled.id())));
            op("list goals (2 goals)", () -> goals.list(OWNER, null, PageRequest.first(50)));
            Run run = op("trigger run", () -> runs.trigger(OWNER, plain.id()));
            CapacityInterceptor.label("(polling, not counted)");
            Run done = await(runs, run.id());
            op("list runs (1 run)", () -> runs.list(OWNER, null, null, PageRequest.first(50)));
            op("get run", () -> runs.view(OWNER, run.id()));
            List<Step> steps = op("get run steps", () -> runs.steps(OWNER, run.id()));
            CapacityInterceptor.label(null);
            print(done, steps.size());
        } finally {
            CapacityInterceptor.label(null);
            eventBridge.stop(0);
        }
    }

    private static <T> T op(String label, Supplier<T> action) {
        CapacityInterceptor.label(label);
        try {
            return action.get();
        } finally {
            CapacityInterceptor.label(null);
        }
    }

    private static Run await(RunService runs, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Run run = runs.get(OWNER, id);
            if (run.status() == RunStatus.COMPLETED || run.status() == RunStatus.FAILED) {
                Thread.sleep(200); // let the worker's last writes land
                return run;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("run " + id + " did not finish in 30 s");
    }

    /**
     * skyrun-shared's application.yml. The hello function's own application.yml comes first on this
     * runner's classpath (target/classes), so the shared one is added explicitly.
     */
    private static PropertySource sharedConfiguration() throws IOException {
        List<URL> found = Collections.list(Capacity.class.getClassLoader().getResources("application.yml"));
        URL shared = found.stream().filter(u -> u.toString().contains("skyrun-shared")
                        || u.toString().contains("/shared/target/classes"))
                .findFirst().orElseThrow(() -> new IllegalStateException("skyrun-shared's application.yml not found in " + found));
        try (InputStream in = shared.openStream()) {
            Map<String, Object> values = new YamlPropertySourceLoader().read("skyrun-shared", in);
            return PropertySource.of("skyrun-shared-application", values, 0);
        }
    }

    /** Hands the table's key attributes to the interceptor, so index writes can be computed. */
    private void describeTable() {
        CapacityInterceptor.label("(setup)");
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(dynamoEndpoint))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .build()) {
            TableDescription table = client.describeTable(b -> b.tableName(TABLE)).table();
            Map<String, List<String>> indexes = new LinkedHashMap<>();
            for (GlobalSecondaryIndexDescription gsi : table.globalSecondaryIndexes()) {
                indexes.put(gsi.indexName(), gsi.keySchema().stream().map(KeySchemaElement::attributeName).toList());
            }
            CapacityInterceptor.schema(table.keySchema().stream().map(KeySchemaElement::attributeName).toList(), indexes);
        } finally {
            CapacityInterceptor.label(null);
        }
    }

    private static void print(Run run, int steps) {
        List<CapacityInterceptor.Call> calls = CapacityInterceptor.calls().stream()
                .filter(c -> !c.label().startsWith("(") && !c.label().startsWith("context start"))
                .map(c -> c.label().startsWith("thread skyrun-worker") ? new CapacityInterceptor.Call(WORKER,
                        c.operation(), c.reported(), c.reads(), c.writes(), c.note()) : c)
                .toList();
        boolean anyReported = calls.stream().anyMatch(c -> c.reported() != null);
        boolean allReported = calls.stream().allMatch(c -> c.reported() != null);

        System.out.println();
        System.out.println("DynamoDB capacity per API operation (skyrun services in-process on DynamoDB Local, table "
                + TABLE + " with 3 GSIs, ALL projection; the run: " + run.status().wire() + " in " + steps + " step(s))");
        if (!anyReported) {
            System.out.println("DynamoDB Local returned no ConsumedCapacity although every request asked for TOTAL:"
                    + " the 'reported' column is empty and only the computed figures are available.");
        } else if (!allReported) {
            System.out.println("DynamoDB Local returned ConsumedCapacity for some calls only ('-' where it did not).");
        }
        String header = String.format(Locale.ROOT, "%-24s| %-50s| %8s | %8s | %8s | %8s", "operation", "DynamoDB calls",
                "reported", "computed", "comp RCU", "comp WCU");
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        Map<String, List<CapacityInterceptor.Call>> byLabel = calls.stream()
                .collect(Collectors.groupingBy(CapacityInterceptor.Call::label, LinkedHashMap::new, Collectors.toList()));
        List<String> notes = new ArrayList<>();
        byLabel.forEach((label, list) -> {
            Map<String, Long> ops = list.stream().collect(Collectors.groupingBy(CapacityInterceptor.Call::operation,
                    LinkedHashMap::new, Collectors.counting()));
            String opText = ops.entrySet().stream().map(e -> e.getValue() == 1 ? e.getKey() : e.getValue() + "x " + e.getKey())
                    .collect(Collectors.joining(", "));
            boolean reported = list.stream().allMatch(c -> c.reported() != null);
            double rep = list.stream().filter(c -> c.reported() != null).mapToDouble(CapacityInterceptor.Call::reported).sum();
            double reads = list.stream().mapToDouble(CapacityInterceptor.Call::reads).sum();
            double writes = list.stream().mapToDouble(CapacityInterceptor.Call::writes).sum();
            System.out.printf(Locale.ROOT, "%-24s| %-50s| %8s | %8s | %8s | %8s%n", label, opText,
                    reported ? units(rep) : "-", units(reads + writes), units(reads), units(writes));
            list.stream().map(CapacityInterceptor.Call::note).filter(n -> !n.isEmpty()).distinct()
                    .forEach(n -> notes.add(label + ": " + n));
        });
        System.out.println();
        System.out.println("reported = sum of ConsumedCapacity.CapacityUnits that DynamoDB Local returned (ReturnConsumedCapacity=TOTAL,"
                + " table + indexes, reads and writes together).");
        System.out.println("computed = DynamoDB's documented rules applied to the item sizes seen by this JVM: reads in 4 KB units,"
                + " halved when eventually consistent (all skyrun reads are); writes in 1 KB units for the item and for each"
                + " GSI entry written (an index key change is a delete plus a put); items in transactions x2, their GSI"
                + " entries x1 (assumed: index entries are written as the transaction propagates).");
        double txReported = calls.stream().filter(c -> c.operation().startsWith("Transact") && c.reported() != null)
                .mapToDouble(CapacityInterceptor.Call::reported).sum();
        double txComputed = calls.stream().filter(c -> c.operation().startsWith("Transact") && c.reported() != null)
                .mapToDouble(c -> c.reads() + c.writes()).sum();
        if (txReported > 0 && Math.abs(txReported - txComputed) > 0.01) {
            System.out.printf(Locale.ROOT, "  transactions: DynamoDB Local reported %s units where the documented rule gives %s"
                    + " (its figure matches 4 units per KB for every item and index entry in a transaction); use the computed"
                    + " column for cost.%n",
                    units(txReported), units(txComputed));
        }
        notes.stream().distinct().forEach(n -> System.out.println("  note, " + n));
        System.out.println("Every call, reported next to computed: " + writeCalls(calls));
    }

    private static Path writeCalls(List<CapacityInterceptor.Call> calls) {
        Path file = Path.of(System.getProperty("bench.module", "."), "target", "coldstart", "capacity-calls.txt");
        List<String> lines = new ArrayList<>();
        lines.add("operation\tDynamoDB call\treported\tcomputed RCU\tcomputed WCU\tnote");
        for (CapacityInterceptor.Call c : calls) {
            lines.add(String.join("\t", c.label(), c.operation(), c.reported() == null ? "-" : units(c.reported()),
                    units(c.reads()), units(c.writes()), c.note()));
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String units(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Answers the EventBridge JSON 1.1 calls the schedule adapter makes, on 127.0.0.1, without keeping anything. */
    private static HttpServer eventBridgeStub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String action = target.substring(target.indexOf('.') + 1);
            String body = switch (action) {
                case "PutRule" -> "{\"RuleArn\":\"arn:aws:events:us-east-1:123456789012:rule/bench\"}";
                case "PutTargets", "RemoveTargets" -> "{\"FailedEntryCount\":0,\"FailedEntries\":[]}";
                case "ListRules" -> "{\"Rules\":[]}";
                case "ListTargetsByRule" -> "{\"Targets\":[]}";
                default -> "{}";
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        return server;
    }
}
