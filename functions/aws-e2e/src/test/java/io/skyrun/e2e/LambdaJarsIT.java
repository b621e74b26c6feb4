package io.skyrun.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyrun.aws.MicronautServiceIndex;
import io.skyrun.testing.Api;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.schedule.eventbridge.EventBridgeRecorder;
import io.skyrun.testing.HttpApiEvents;
import io.skyrun.testing.Receiver;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded Lambda jars themselves (without the JDBC stack the module classpaths carry), each run in
 * a fresh JVM with the environment the CDK stack sets, fed one event, against DynamoDB Local.
 */
class LambdaJarsIT {
    private static final String PROXY = "io.skyrun.aws.HttpApiFunction";
    private static final String HTTP_EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
    private static final String TABLE = "skyrun-jars-" + UUID.randomUUID();
    private static final String SQS_EVENT_OF_A_MISSING_RUN = sqsEvent("m-1", "run_missing");

    @TempDir
    Path work;

    /** The SQS event of one run message, as the worker's event source mapping delivers it. */
    private static String sqsEvent(String messageId, String runId) {
        return "{\"Records\":[{\"messageId\":\"" + messageId + "\",\"receiptHandle\":\"r-1\",\"body\":\"" + runId + "\","
                + "\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"messageAttributes\":{},\"eventSource\":\"aws:sqs\","
                + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"awsRegion\":\"us-east-1\"}]}";
    }

    /** The stack's environment, with the endpoints given the way the tests of the adapters give them. */
    private static Map<String, String> stackEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SKYRUN_STORAGE", "dynamodb");
        env.put("SKYRUN_TABLE", TABLE);
        env.put("SKYRUN_CREATE_TABLE", "true");
        env.put("SKYRUN_QUEUE", "sqs");
        env.put("SKYRUN_QUEUE_URL", "http://127.0.0.1:1/000000000000/unused");
        env.put("SKYRUN_SCHEDULER", "eventbridge");
        env.put("SKYRUN_SCHEDULE_TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:schedule-trigger:live");
        env.put("SKYRUN_SCHEDULE_DLQ_ARN", "arn:aws:sqs:us-east-1:123456789012:skyrun-schedule-dlq");
        env.put("SKYRUN_AWS_DYNAMODB_ENDPOINT", DynamoLocal.endpoint());
        // nothing listens there: EventBridge calls fail at once and never leave the machine
        env.put("SKYRUN_AWS_EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("SKYRUN_LOG_LEVEL", "WARN");
        return env;
    }

    private JsonNode invoke(String jar, String handler, String eventType, String event) throws Exception {
        return invoke(stackEnvironment(), jar, handler, eventType, event);
    }

    private JsonNode invoke(Map<String, String> environment, String jar, String handler, String eventType,
                            String event) throws Exception {
        return invoke(environment, List.of(), jar, handler, eventType, event);
    }

    private static Path jarOf(String function) {
        return Path.of(System.getProperty("skyrun.functions"), function, "target", function + ".jar");
    }

    private JsonNode invoke(Map<String, String> environment, List<String> jvmOptions, String jar, String handler,
                            String eventType, String event) throws Exception {
        return invoke(environment, jvmOptions, jarOf(jar), handler, eventType, event);
    }

    private JsonNode invoke(Map<String, String> environment, List<String> jvmOptions, Path code, String handler,
                            String eventType, String event) throws Exception {
        return responseIn(run(environment, jvmOptions, code, handler, eventType, event), code);
    }

    private static JsonNode responseIn(String output, Path code) throws IOException {
        String line = output.lines().filter(l -> l.startsWith("RESPONSE ")).findFirst()
                .orElseThrow(() -> new AssertionError(code.getFileName() + " gave no response:\n" + output));
        return Api.JSON.readTree(line.substring("RESPONSE ".length()));
    }

    /**
     * Runs the handler on {@code code} (a function jar, or a directory it was extracted into) in a fresh JVM and
     * returns what it printed (standard output and error).
     */
    private String run(Map<String, String> environment, List<String> jvmOptions, Path code, String handler,
                       String eventType, String event) throws Exception {
        Path eventFile = work.resolve(UUID.randomUUID() + ".json");
        Files.writeString(eventFile, event);
        String classpath = String.join(File.pathSeparator, code.toString(), System.getProperty("skyrun.serialization.jar"),
                Path.of("target", "test-classes").toAbsolutePath().toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, JarLaunch.class.getName(), handler, eventType, eventFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // only what the test gives: an AWS_* or SKYRUN_* variable of the machine running the build must not leak in
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("SKYRUN_"));
        env.putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void theJarsCarryNoTestOrRelationalCodeAndTheLazySdkMetadataTables() throws Exception {
        List<String> everywhere = List.of("io/netty/", "org/apache/http/", "org/h2/", "org/postgresql/", "org/flywaydb/",
                "com/zaxxer/", "com/amazonaws/services/dynamodbv2/local/", "io/skyrun/testing/", "org/junit/",
                "org/elasticmq/");
        List<String> workerOnly = List.of("dev/langchain4j/", "com/fasterxml/jackson/databind/",
                "com/fasterxml/jackson/datatype/", "jakarta/mail/",
                "software/amazon/awssdk/services/bedrockruntime/", "software/amazon/awssdk/services/sesv2/");
        for (String jar : List.of("goals-api", "runs-api", "run-worker", "schedule-trigger")) {
            Path file = jarOf(jar);
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
                List<String> forbidden = jar.equals("run-worker") ? everywhere
                        : java.util.stream.Stream.concat(everywhere.stream(), workerOnly.stream()).toList();
                assertThat(names).as(jar).noneMatch(name -> forbidden.stream().anyMatch(name::startsWith));
                // nor skyrun's relational adapters, their bean definitions or their migrations
                assertThat(names).as(jar).noneMatch(name -> name.startsWith("io/skyrun/") && name.contains("/jdbc/")
                        || name.startsWith("META-INF/micronaut/") && name.contains("io.skyrun.") && name.contains(".jdbc.")
                        || name.startsWith("db/migration/") || name.contains("DataSourceLocation"));
                assertThat(names).as(jar).contains("io/skyrun/goals/dynamo/DynamoGoalRepository.class");
                // the service index (MicronautServiceIndex) lists exactly the jar's META-INF/micronaut/ entries, but
                // for Micronaut's HTTP layer in the functions that serve no HTTP
                boolean servesHttp = jar.endsWith("-api");
                List<String> services = names.stream().filter(name -> name.startsWith("META-INF/micronaut/")
                        && !name.endsWith("/")).map(name -> name.substring("META-INF/micronaut/".length())).sorted().toList();
                String index = new String(zip.getInputStream(zip.getEntry(MicronautServiceIndex.INDEX)).readAllBytes(),
                        StandardCharsets.UTF_8);
                assertThat(services).as(jar).isNotEmpty()
                        .anyMatch(service -> service.contains("/io.micronaut.http.server."))
                        .anyMatch(service -> service.contains("/io.micronaut.web.router."));
                assertThat(index.lines().filter(line -> !line.startsWith("#")).sorted()).as(jar)
                        .containsExactlyElementsOf(services.stream().filter(service -> servesHttp
                                || !service.contains("/io.micronaut.http.") && !service.contains("/io.micronaut.web."))
                                .toList());
                assertThat(names).as(jar).contains("software/amazon/awssdk/services/dynamodb/DynamoDbClient.class");
                for (String provider : List.of("GeneratedServiceMetadataProvider", "GeneratedRegionMetadataProvider")) {
                    byte[] bytes = zip.getInputStream(zip.getEntry("software/amazon/awssdk/regions/" + provider + ".class"))
                            .readAllBytes();
                    // skyrun-shared's lazy table, not the SDK's eager one
                    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(jar + " " + provider)
                            .contains("software/amazon/awssdk/regions/LazyMetadata");
                }
            }
        }
    }

    /**
     * Micronaut lists its services and reads its configuration files by mounting the jar as a zip file system
     * (reading every entry's header, at each start from the jar); the functions start from their service index and
     * read configuration as jar entries, so no zip file system is ever loaded. The index is used as well when the
     * jar is extracted into a directory, as Lambda runs a deployment package.
     */
    @Test
    void theFunctionsStartFromTheirServiceIndexWithoutMountingAZipFileSystem() throws Exception {
        record Case(Path code, String handler, String type, String event) {
        }
        // as Lambda runs a jar deployment package: extracted into a directory (/var/task)
        Path unpacked = work.resolve("run-worker-unpacked");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jarOf("run-worker").toFile())) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = unpacked.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (java.io.InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        String sqsEvent = "com.amazonaws.services.lambda.runtime.events.SQSEvent";
        for (Case c : List.of(new Case(jarOf("goals-api"), PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/health/ready", null)),
                new Case(jarOf("run-worker"), "io.skyrun.worker.RunWorkerHandler", sqsEvent, SQS_EVENT_OF_A_MISSING_RUN),
                new Case(unpacked, "io.skyrun.worker.RunWorkerHandler", sqsEvent, SQS_EVENT_OF_A_MISSING_RUN),
                new Case(jarOf("schedule-trigger"), "io.skyrun.trigger.ScheduleTriggerHandler", "java.util.Map",
                        "{\"ownerId\":\"default\",\"goalId\":\"goal_x\",\"scheduleId\":\"sched_x\","
                                + "\"time\":\"2026-07-01T09:00:00Z\"}"))) {
            String name = c.code().getFileName().toString();
            Path classes = work.resolve(name + "-classes.log");
            JsonNode response = invoke(stackEnvironment(), List.of("-Xlog:class+load=info:file=" + classes), c.code(),
                    c.handler(), c.type(), c.event());
            assertThat(response.isObject()).as(name + " answered " + response).isTrue();
            String loaded = Files.readString(classes);
            assertThat(loaded).as(name).contains("io.skyrun.aws.MicronautServiceIndex$IndexedLoader ")
                    .doesNotContain("jdk.nio.zipfs.ZipFileSystem ")
                    .doesNotContain("io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils$CacheEntry ");
            assertThat(loaded).as(name + " loads its classes from where it was given")
                    .contains("io.skyrun.aws.MicronautServiceIndex source: file:" + c.code().toAbsolutePath().normalize());
        }
    }

    @Test
    void theGoalsJarCreatesAGoalInDynamoDb() throws Exception {
        JsonNode response = invoke("goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("POST", "/api/v1/goals",
                "{\"objective\":\"Created by the shaded jar\"}"));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(201);
        assertThat(Api.JSON.readTree(response.path("body").asText()).path("id").asText()).startsWith("goal_");
    }

    @Test
    void theGoalsJarAnswers503WhenEventBridgeIsUnreachableAndKeepsNoHalfCreatedGoal() throws Exception {
        JsonNode response = invoke("goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("POST", "/api/v1/goals",
                "{\"objective\":\"Scheduled but EventBridge is down\",\"schedule\":{\"cronExpr\":\"0 9 * * *\"}}"));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(503);
        assertThat(response.path("body").asText()).isEqualTo("{\"error\":\"Schedule service unavailable; try again\"}");
        JsonNode list = invoke("goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/api/v1/goals", null));
        assertThat(list.path("body").asText()).doesNotContain("Scheduled but EventBridge is down");
    }

    @Test
    void theRunsJarAnswersHealthAndLists() throws Exception {
        assertThat(invoke("runs-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/health/ready", null))
                .path("statusCode").asInt()).isEqualTo(200);
        assertThat(invoke("runs-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/api/v1/runs", null))
                .path("statusCode").asInt()).isEqualTo(200);
    }

    /**
     * The functions configure logback in code ({@code LogConfigurator}): no XML is parsed at start, the lines keep
     * their format, and {@code SKYRUN_LOG_LEVEL} sets the level.
     */
    @Test
    void theWorkerLogsThroughTheConfigurationInCode() throws Exception {
        Path classes = work.resolve("worker-logging-classes.log");
        Map<String, String> env = stackEnvironment();
        env.put("SKYRUN_LOG_LEVEL", "info");
        String output = run(env, List.of("-Xlog:class+load=info:file=" + classes), jarOf("run-worker"),
                "io.skyrun.worker.RunWorkerHandler", "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                SQS_EVENT_OF_A_MISSING_RUN);

        assertThat(responseIn(output, jarOf("run-worker")).path("batchItemFailures")).isEmpty();
        assertThat(output.lines()).as(output).anyMatch(line -> line.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] i\\.s\\.worker\\.RunMessages - Message .* NOT_FOUND"));
        assertThat(Files.readString(classes)).contains("io.skyrun.logging.LogConfigurator ")
                .doesNotContain("ch.qos.logback.core.joran.GenericXMLConfigurator ")
                .doesNotContain("javax.xml.parsers.SAXParser ");

        env.put("SKYRUN_LOG_LEVEL", "WARN");
        String quiet = run(env, List.of(), jarOf("run-worker"), "io.skyrun.worker.RunWorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", SQS_EVENT_OF_A_MISSING_RUN);
        assertThat(responseIn(quiet, jarOf("run-worker")).path("batchItemFailures")).isEmpty();
        assertThat(quiet).doesNotContain(" INFO  ");
    }

    /**
     * A user's logback file (-Dlogback.configurationFile) replaces the configuration in code, also after Micronaut
     * reconfigures logback for a {@code LOGGER_LEVELS_*} variable; a file property naming a missing file leaves
     * the configuration in code in place.
     */
    @Test
    void aUsersLogbackFileTakesOverAndAMissingOneLeavesTheDefault() throws Exception {
        Path file = work.resolve("user-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="USER" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>USER %level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="USER"/></root>
                </configuration>
                """);
        Map<String, String> env = stackEnvironment();
        env.put("LOGGER_LEVELS_IO_SKYRUN_WORKER", "INFO");
        String output = run(env, List.of("-Dlogback.configurationFile=" + file), jarOf("run-worker"),
                "io.skyrun.worker.RunWorkerHandler", "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                SQS_EVENT_OF_A_MISSING_RUN);
        assertThat(output.lines()).as(output)
                .anyMatch(line -> line.startsWith("USER INFO io.skyrun.worker.RunMessages - Message ") && line.endsWith("NOT_FOUND"));

        env.remove("LOGGER_LEVELS_IO_SKYRUN_WORKER");
        env.put("SKYRUN_LOG_LEVEL", "INFO");
        String missing = run(env, List.of("-Dlogback.configurationFile=" + work.resolve("no-such-logback.xml")),
                jarOf("run-worker"), "io.skyrun.worker.RunWorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", SQS_EVENT_OF_A_MISSING_RUN);
        assertThat(missing.lines()).as(missing).anyMatch(line -> line.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] i\\.s\\.worker\\.RunMessages - Message .* NOT_FOUND"));
    }

    /**
     * Each jar through the SnapStart hooks as Lambda calls them around a snapshot, then its first event: every
     * singleton primes (none fails, with the index each jar starts from) and the restored copy reaches DynamoDB.
     */
    @Test
    void everyJarPrimesAllItsBeansForTheSnapshotAndServesAfterTheRestore() throws Exception {
        record Case(String jar, String handler, String type, String event) {
        }
        for (Case c : List.of(
                new Case("goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/api/v1/goals", null)),
                new Case("runs-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/api/v1/runs", null)),
                new Case("run-worker", "io.skyrun.worker.RunWorkerHandler",
                        "com.amazonaws.services.lambda.runtime.events.SQSEvent", SQS_EVENT_OF_A_MISSING_RUN),
                new Case("schedule-trigger", "io.skyrun.trigger.ScheduleTriggerHandler", "java.util.Map",
                        "{\"ownerId\":\"default\",\"goalId\":\"goal_x\",\"scheduleId\":\"sched_x\","
                                + "\"time\":\"2026-07-01T09:00:00Z\"}"))) {
            String output = run(stackEnvironment(), List.of("-D" + JarLaunch.SNAPSHOT + "=true"), jarOf(c.jar()),
                    c.handler(), c.type(), c.event());

            assertThat(output).as(c.jar()).contains("SNAPSHOT_AND_RESTORE done").doesNotContain("Not primed");
            JsonNode response = responseIn(output, jarOf(c.jar()));
            switch (c.jar()) {
                case "goals-api", "runs-api" -> assertThat(response.path("statusCode").asInt()).as(output).isEqualTo(200);
                case "run-worker" -> assertThat(response.path("batchItemFailures")).as(output).isEmpty();
                default -> assertThat(response.path("skipped").asText()).as(output).isEqualTo("schedule no longer exists");
            }
        }
    }

    @Test
    void theWorkerJarDropsAMessageForAMissingRun() throws Exception {
        JsonNode response = invoke("run-worker", "io.skyrun.worker.RunWorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", SQS_EVENT_OF_A_MISSING_RUN);

        assertThat(response.path("batchItemFailures")).isEmpty();
    }

    @Test
    void theTriggerJarIgnoresAFireForAScheduleThatIsGone() throws Exception {
        JsonNode response = invoke("schedule-trigger", "io.skyrun.trigger.ScheduleTriggerHandler", "java.util.Map",
                "{\"ownerId\":\"default\",\"goalId\":\"goal_x\",\"scheduleId\":\"sched_x\",\"cronExpr\":\"0 9 * * *\","
                        + "\"timezone\":\"UTC\",\"time\":\"2026-07-01T09:00:00Z\"}");

        assertThat(response.path("started").asBoolean()).isFalse();
        assertThat(response.path("skipped").asText()).isEqualTo("schedule no longer exists");
    }

    @Test
    void theSdksStandardEndpointVariablesAloneReachDynamoDbSqsAndEventBridge() throws Exception {
        SQSRestServer elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        try (EventBridgeRecorder eventBridge = EventBridgeRecorder.start()) {
            String sqsEndpoint = "http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort();
            SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create()).build();
            String queueName = "skyrun-endpoints-" + UUID.randomUUID();
            sqs.createQueue(b -> b.queueName(queueName));
            // GIVEN no skyrun.aws.*-endpoint at all: the generic variable leads to DynamoDB Local, the
            // service variables (which win over it) to ElasticMQ and the EventBridge recorder
            Map<String, String> env = stackEnvironment();
            env.remove("SKYRUN_AWS_DYNAMODB_ENDPOINT");
            env.remove("SKYRUN_AWS_EVENTBRIDGE_ENDPOINT");
            env.put("SKYRUN_TABLE", "skyrun-endpoints-" + UUID.randomUUID());
            // the queue URL names AWS's own host, which is out of reach here: only the SQS endpoint variable can
            // bring the message to ElasticMQ
            env.put("SKYRUN_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/000000000000/" + queueName);
            env.put("AWS_ENDPOINT_URL", DynamoLocal.endpoint());
            env.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint);
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.endpoint().toString());

            // WHEN the goals jar creates a scheduled goal and triggers a run of it
            JsonNode created = invoke(env, "goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("POST", "/api/v1/goals",
                    "{\"objective\":\"Reached through AWS_ENDPOINT_URL*\",\"schedule\":{\"cronExpr\":\"0 9 * * *\"}}"));
            assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
            String goalId = Api.JSON.readTree(created.path("body").asText()).path("id").asText();
            JsonNode triggered = invoke(env, "goals-api", PROXY, HTTP_EVENT,
                    HttpApiEvents.json("POST", "/api/v1/goals/" + goalId + "/run", null));
            assertThat(triggered.path("statusCode").asInt()).as(triggered.toString()).isEqualTo(200);
            String runId = Api.JSON.readTree(triggered.path("body").asText()).path("runId").asText();

            // THEN the rule is in the recorder, the run's message in ElasticMQ, and the run in DynamoDB Local
            assertThat(eventBridge.rules("default")).isNotEmpty()
                    .allSatisfy(rule -> assertThat(rule.name()).startsWith("skyrun-"));
            List<String> bodies = sqs.receiveMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(queueName))
                    .queueUrl()).maxNumberOfMessages(10).waitTimeSeconds(2)).messages().stream()
                    .map(Message::body).toList();
            assertThat(bodies).containsExactly(runId);
            JsonNode run = invoke(env, "runs-api", PROXY, HTTP_EVENT, HttpApiEvents.json("GET", "/api/v1/runs/" + runId,
                    null));
            assertThat(run.path("statusCode").asInt()).as(run.toString()).isEqualTo(200);
            assertThat(Api.JSON.readTree(run.path("body").asText()).path("goalId").asText()).isEqualTo(goalId);
        } finally {
            elasticMq.stopAndWait();
        }
    }

    /**
     * Every jar in one chain, as deployed: the goals-api creates a scheduled goal with a webhook, the trigger fires
     * its rule, the worker executes the run the trigger queued (tool call, steps, webhook), the runs-api reads it.
     * The worker's and the trigger's service indexes leave Micronaut's HTTP layer out: this is where a bean that
     * still needed it would fail.
     */
    @Test
    void aScheduleFiresThroughTheJarsIntoACompletedRunWithItsWebhook() throws Exception {
        SQSRestServer elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        try (EventBridgeRecorder eventBridge = EventBridgeRecorder.start(); Receiver receiver = new Receiver()) {
            String sqsEndpoint = "http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort();
            SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create()).build();
            String queueUrl = sqs.createQueue(b -> b.queueName("skyrun-chain-" + UUID.randomUUID())).queueUrl();
            Map<String, String> env = stackEnvironment();
            env.put("SKYRUN_TABLE", "skyrun-chain-" + UUID.randomUUID());
            env.put("SKYRUN_QUEUE_URL", queueUrl);
            env.put("SKYRUN_AWS_SQS_ENDPOINT", sqsEndpoint);
            env.put("SKYRUN_AWS_EVENTBRIDGE_ENDPOINT", eventBridge.endpoint().toString());
            env.put("SKYRUN_OUTBOUND_ALLOW_PRIVATE", "true"); // the webhook receiver is on 127.0.0.1

            // GIVEN a goal scheduled daily at 09:00 UTC, created through the goals-api jar
            JsonNode created = invoke(env, "goals-api", PROXY, HTTP_EVENT, HttpApiEvents.json("POST", "/api/v1/goals",
                    "{\"objective\":\"Through every jar\",\"params\":{\"allowedTools\":[\"current_time\"]},"
                            + "\"webhookUrl\":\"" + receiver.url("/hook") + "\",\"schedule\":{\"cronExpr\":\"0 9 * * *\"}}"));
            assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
            String goalId = Api.JSON.readTree(created.path("body").asText()).path("id").asText();
            EventBridgeRecorder.StoredRule rule = eventBridge.rules("default").stream()
                    .filter(r -> r.expression().equals("cron(0 9 * * ? *)")).findFirst().orElseThrow();
            String template = rule.targets().values().iterator().next().path("InputTransformer").path("InputTemplate")
                    .asText();

            // WHEN EventBridge fires the rule into the trigger jar
            JsonNode fired = invoke(env, "schedule-trigger", "io.skyrun.trigger.ScheduleTriggerHandler", "java.util.Map",
                    template.replace("<time>", "\"2026-07-01T09:00:00Z\""));
            assertThat(fired.path("started").asBoolean()).as(fired.toString()).isTrue();
            String runId = fired.path("runId").asText();

            // AND the queue's message reaches the worker jar as an SQS event
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(2)).messages();
            assertThat(messages).extracting(Message::body).containsExactly(runId);
            JsonNode worked = invoke(env, "run-worker", "io.skyrun.worker.RunWorkerHandler",
                    "com.amazonaws.services.lambda.runtime.events.SQSEvent", sqsEvent(messages.get(0).messageId(), runId));
            assertThat(worked.path("batchItemFailures")).as(worked.toString()).isEmpty();

            // THEN the runs-api jar reads the completed run and its steps, and the webhook was delivered
            JsonNode run = Api.JSON.readTree(invoke(env, "runs-api", PROXY, HTTP_EVENT,
                    HttpApiEvents.json("GET", "/api/v1/runs/" + runId, null)).path("body").asText());
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
            assertThat(run.path("goalId").asText()).isEqualTo(goalId);
            JsonNode steps = Api.JSON.readTree(invoke(env, "runs-api", PROXY, HTTP_EVENT,
                    HttpApiEvents.json("GET", "/api/v1/runs/" + runId + "/steps", null)).path("body").asText());
            assertThat(steps).as(steps.toString()).hasSize(2);
            assertThat(steps.get(0).path("toolName").asText()).isEqualTo("current_time");
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).body()).contains(runId).contains("completed");
        } finally {
            elasticMq.stopAndWait();
        }
    }

    @Test
    void theServiceEndpointVariableOfDynamoDbAloneIsEnough() throws Exception {
        // GIVEN only AWS_ENDPOINT_URL_DYNAMODB, nothing generic and no skyrun.aws.dynamodb-endpoint
        Map<String, String> env = stackEnvironment();
        env.remove("SKYRUN_AWS_DYNAMODB_ENDPOINT");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoLocal.endpoint());

        // WHEN the worker jar is handed a message of a run that does not exist
        JsonNode response = invoke(env, "run-worker", "io.skyrun.worker.RunWorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", SQS_EVENT_OF_A_MISSING_RUN);

        // THEN it looked the run up in DynamoDB Local (an unreachable table would fail the message)
        assertThat(response.path("batchItemFailures")).isEmpty();
    }
}
