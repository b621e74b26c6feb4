package io.skyrun.schedule.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A stand-in EventBridge on 127.0.0.1 that speaks the SDK's JSON 1.1 protocol, keeps rules in memory and
 * records every call.
 *
 * <p>It knows the rule operations {@link EventBridgeScheduler} uses plus DescribeRule and ListTargetsByRule, and
 * answers like EventBridge where that matters to the adapter: unknown rules are a ResourceNotFoundException, a
 * rule with targets cannot be deleted, and ListRules pages after {@value #PAGE_SIZE} rules.
 */
public final class EventBridgeRecorder implements AutoCloseable {

    /** Access key of {@link #client()}, so tests can check that it never shows up in an error. */
    static final String ACCESS_KEY = "AKIARECORDERACCESS";
    /** Secret key of {@link #client()}. */
    static final String SECRET_KEY = "recorder-secret-key";

    /** Small, so that even a schedule with three rules needs two pages. */
    static final int PAGE_SIZE = 2;

    private static final String ACCOUNT = "123456789012";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "AWSEvents.";

    /** One request as the SDK sent it. */
    record Call(String operation, JsonNode body) {
    }

    /** A rule as EventBridge would hold it; targets by id, each as the JSON the SDK sent. */
    public static final class StoredRule {
        final String name;
        final String bus;
        String expression;
        String state;
        String description;
        final Map<String, JsonNode> targets = new LinkedHashMap<>();

        StoredRule(String name, String bus) {
            this.name = name;
            this.bus = bus;
        }

        public String name() {
            return name;
        }

        public String bus() {
            return bus;
        }

        public String expression() {
            return expression;
        }

        public String state() {
            return state;
        }

        public String description() {
            return description;
        }

        public Map<String, JsonNode> targets() {
            return Map.copyOf(targets);
        }

        public String arn() {
            return "arn:aws:events:us-east-1:" + ACCOUNT + ":rule/" + name;
        }
    }

    private record Failure(int status, String type, String message) {
    }

    private record Reply(int status, JsonNode body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    /** By bus, then by name, so ListRules answers in name order as EventBridge does. */
    private final Map<String, TreeMap<String, StoredRule>> buses = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private int putTargetsBeforeFailure = -1;
    private Failure putTargetsFailure;

    static {
        // Without TCP_NODELAY each small reply waits ~40 ms for a delayed ACK; the JDK server reads this once.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private EventBridgeRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static EventBridgeRecorder start() {
        try {
            return new EventBridgeRecorder();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the EventBridge recorder", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A real SDK client aimed at this recorder, with short timeouts and no retries so failures show at once. */
    EventBridgeClient client() {
        return EventBridgeClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(c -> c
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(5))
                        .apiCallTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** Every call so far, in order. */
    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one operation, such as {@code PutRule}, in order. */
    synchronized List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    /** The rules on a bus, in name order. */
    public synchronized List<StoredRule> rules(String bus) {
        return List.copyOf(buses.getOrDefault(bus, new TreeMap<>()).values());
    }

    synchronized Optional<StoredRule> rule(String bus, String name) {
        return Optional.ofNullable(buses.getOrDefault(bus, new TreeMap<>()).get(name));
    }

    /** Creates an enabled rule with one target directly, without recording a call, as earlier deployments left it. */
    synchronized void givenRule(String bus, String name, String expression, String targetId) {
        StoredRule rule = buses.computeIfAbsent(bus, b -> new TreeMap<>()).computeIfAbsent(name, n -> new StoredRule(n, bus));
        rule.expression = expression;
        rule.state = "ENABLED";
        rule.targets.put(targetId, json.createObjectNode().put("Id", targetId).put("Arn", "arn:aws:lambda:old"));
    }

    /** Answers every later call of {@code operation} with an AWS error instead of doing it. */
    synchronized void failEvery(String operation, int status, String errorType, String message) {
        failures.put(operation, new Failure(status, errorType, message));
    }

    /** Lets {@code succeeding} PutTargets calls through and then reports the target as a failed entry. */
    synchronized void failPutTargetsAfter(int succeeding, String errorCode, String message) {
        putTargetsBeforeFailure = succeeding;
        putTargetsFailure = new Failure(200, errorCode, message);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                    reply = error(new Failure(400, "UnknownOperationException", "expected POST with X-Amz-Target"));
                } else {
                    JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
                    reply = answer(target.substring(TARGET_PREFIX.length()), body);
                }
            } catch (RuntimeException | IOException e) {
                reply = error(new Failure(500, "InternalException", "recorder failed: " + e));
            }
            byte[] out = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", "recorder-" + System.nanoTime());
            exchange.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private synchronized Reply answer(String operation, JsonNode body) {
        calls.add(new Call(operation, body));
        Failure failure = failures.get(operation);
        if (failure != null) {
            return error(failure);
        }
        return switch (operation) {
            case "PutRule" -> putRule(body);
            case "PutTargets" -> putTargets(body);
            case "ListRules" -> listRules(body);
            case "DisableRule" -> setState(body, "DISABLED");
            case "EnableRule" -> setState(body, "ENABLED");
            case "RemoveTargets" -> removeTargets(body);
            case "DeleteRule" -> deleteRule(body);
            case "DescribeRule" -> describeRule(body);
            case "ListTargetsByRule" -> listTargetsByRule(body);
            default -> error(new Failure(400, "UnknownOperationException", "operation " + operation + " is not recorded"));
        };
    }

    private Reply putRule(JsonNode body) {
        String bus = bus(body);
        String name = body.path("Name").asText();
        StoredRule rule = buses.computeIfAbsent(bus, b -> new TreeMap<>()).computeIfAbsent(name, n -> new StoredRule(n, bus));
        rule.expression = body.path("ScheduleExpression").asText(null);
        rule.state = body.path("State").asText("ENABLED");
        rule.description = body.path("Description").asText(null);
        return ok(json.createObjectNode().put("RuleArn", rule.arn()));
    }

    private Reply putTargets(JsonNode body) {
        Optional<StoredRule> rule = find(bus(body), body.path("Rule").asText());
        if (rule.isEmpty()) {
            return notFound(body.path("Rule").asText());
        }
        ObjectNode result = json.createObjectNode();
        ArrayNode failed = result.putArray("FailedEntries");
        for (JsonNode target : body.path("Targets")) {
            if (putTargetsFailure != null && putTargetsBeforeFailure-- <= 0) {
                failed.addObject()
                        .put("TargetId", target.path("Id").asText())
                        .put("ErrorCode", putTargetsFailure.type())
                        .put("ErrorMessage", putTargetsFailure.message());
            } else {
                rule.get().targets.put(target.path("Id").asText(), target);
            }
        }
        result.put("FailedEntryCount", failed.size());
        return ok(result);
    }

    private Reply listRules(JsonNode body) {
        String prefix = body.path("NamePrefix").asText("");
        int limit = Math.min(body.path("Limit").asInt(100), PAGE_SIZE);
        int from = body.hasNonNull("NextToken") ? Integer.parseInt(body.get("NextToken").asText().substring("page-".length())) : 0;
        List<StoredRule> matching = buses.getOrDefault(bus(body), new TreeMap<>()).values().stream()
                .filter(r -> r.name.startsWith(prefix))
                .toList();
        ObjectNode result = json.createObjectNode();
        ArrayNode rules = result.putArray("Rules");
        for (StoredRule rule : matching.subList(Math.min(from, matching.size()), Math.min(from + limit, matching.size()))) {
            rules.add(describe(rule));
        }
        if (from + limit < matching.size()) {
            result.put("NextToken", "page-" + (from + limit));
        }
        return ok(result);
    }

    private Reply setState(JsonNode body, String state) {
        Optional<StoredRule> rule = find(bus(body), body.path("Name").asText());
        if (rule.isEmpty()) {
            return notFound(body.path("Name").asText());
        }
        rule.get().state = state;
        return ok(json.createObjectNode());
    }

    private Reply removeTargets(JsonNode body) {
        Optional<StoredRule> rule = find(bus(body), body.path("Rule").asText());
        if (rule.isEmpty()) {
            return notFound(body.path("Rule").asText());
        }
        for (JsonNode id : body.path("Ids")) {
            rule.get().targets.remove(id.asText());
        }
        ObjectNode result = json.createObjectNode().put("FailedEntryCount", 0);
        result.putArray("FailedEntries");
        return ok(result);
    }

    private Reply deleteRule(JsonNode body) {
        String name = body.path("Name").asText();
        Optional<StoredRule> rule = find(bus(body), name);
        if (rule.isEmpty()) {
            return notFound(name);
        }
        if (!rule.get().targets.isEmpty()) {
            return error(new Failure(400, "ValidationException", "Rule can't be deleted since it has targets."));
        }
        buses.get(bus(body)).remove(name);
        return ok(json.createObjectNode());
    }

    private Reply describeRule(JsonNode body) {
        return find(bus(body), body.path("Name").asText())
                .map(rule -> ok(describe(rule)))
                .orElseGet(() -> notFound(body.path("Name").asText()));
    }

    private Reply listTargetsByRule(JsonNode body) {
        Optional<StoredRule> rule = find(bus(body), body.path("Rule").asText());
        if (rule.isEmpty()) {
            return notFound(body.path("Rule").asText());
        }
        ObjectNode result = json.createObjectNode();
        result.putArray("Targets").addAll(rule.get().targets.values());
        return ok(result);
    }

    private ObjectNode describe(StoredRule rule) {
        ObjectNode node = json.createObjectNode()
                .put("Name", rule.name)
                .put("Arn", rule.arn())
                .put("State", rule.state)
                .put("EventBusName", rule.bus);
        if (rule.expression != null) {
            node.put("ScheduleExpression", rule.expression);
        }
        if (rule.description != null) {
            node.put("Description", rule.description);
        }
        return node;
    }

    private Optional<StoredRule> find(String bus, String name) {
        return Optional.ofNullable(buses.getOrDefault(bus, new TreeMap<>()).get(name));
    }

    private static String bus(JsonNode body) {
        return body.path("EventBusName").asText("default");
    }

    private Reply notFound(String name) {
        return error(new Failure(400, "ResourceNotFoundException", "Rule " + name + " does not exist."));
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    private Reply error(Failure failure) {
        return new Reply(failure.status(), json.createObjectNode()
                .put("__type", failure.type())
                .put("message", failure.message()));
    }
}
