package io.skyrun.infra;

import static io.skyrun.infra.SkyrunStack.FILES_BUCKET;
import static io.skyrun.infra.SkyrunStack.GOALS_API;
import static io.skyrun.infra.SkyrunStack.RUNS_API;
import static io.skyrun.infra.SkyrunStack.RUN_DLQ;
import static io.skyrun.infra.SkyrunStack.RUN_QUEUE;
import static io.skyrun.infra.SkyrunStack.RUN_WORKER;
import static io.skyrun.infra.SkyrunStack.SCHEDULE_DLQ;
import static io.skyrun.infra.SkyrunStack.SCHEDULE_TRIGGER;
import static io.skyrun.infra.SkyrunStack.TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.constructs.IConstruct;

/** Synthesizes {@link SkyrunStack} once, over placeholder jars, and checks the CloudFormation it produces. */
class SkyrunStackTest {

    private static final List<String> FUNCTIONS = List.of(GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER);

    /** What {@code formatArn} renders for {@code rule/skyrun-*} in an environment-agnostic stack. */
    private static final Map<String, Object> RULE_ARN_PATTERN = Map.of("Fn::Join", List.of("", List.of(
            "arn:", Map.of("Ref", "AWS::Partition"),
            ":events:", Map.of("Ref", "AWS::Region"),
            ":", Map.of("Ref", "AWS::AccountId"),
            ":rule/skyrun-*")));

    @TempDir
    static Path workDir;

    private static final Map<String, byte[]> placeholderJars = new HashMap<>();
    private static Path cloudAssembly;
    private static SkyrunStack stack;
    private static Template template;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void synthesizeOnce() throws IOException {
        Path repoRoot = workDir.resolve("repo");
        for (String name : FUNCTIONS) {
            placeholderJars.put(name, placeholderJar(repoRoot, name));
        }
        cloudAssembly = workDir.resolve("cdk.out");
        App app = new App(AppProps.builder().outdir(cloudAssembly.toString()).build());
        stack = new SkyrunStack(app, "SkyrunStack", StackProps.builder().build(), repoRoot);

        template = Template.fromStack(stack);

        resources = cast(template.toJSON().get("Resources"));
    }

    // ---- HTTP API -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1} alias")
    @CsvSource({
            "ANY /api/v1/goals, goals-api",
            "ANY /api/v1/goals/{proxy+}, goals-api",
            "ANY /api/v1/runs, runs-api",
            "ANY /api/v1/runs/{proxy+}, runs-api",
            "GET /health, goals-api",
            "GET /health/ready, goals-api"})
    void routeIsIntegratedWithTheLiveAliasOfItsFunction(String routeKey, String function) {
        // GIVEN the route with that key
        Map<String, Object> route = onlyResource("AWS::ApiGatewayV2::Route", "RouteKey", routeKey);

        // WHEN following its target to the integration
        Map<String, Object> integration = properties(integrationIdOf(route));

        // THEN the integration proxies (payload 2.0) to the function's live alias, never to $LATEST
        assertThat(integration)
                .containsEntry("IntegrationType", "AWS_PROXY")
                .containsEntry("PayloadFormatVersion", "2.0")
                .containsEntry("IntegrationUri", ref(alias(function)));
    }

    @Test
    void theApiHasExactlyTheSixRoutes() {
        // GIVEN the synthesized template
        // WHEN listing the route keys
        List<Object> routeKeys = ofType("AWS::ApiGatewayV2::Route").stream()
                .map(route -> route.get("RouteKey"))
                .toList();

        // THEN there are only the documented routes
        assertThat(routeKeys).containsExactlyInAnyOrder("ANY /api/v1/goals", "ANY /api/v1/goals/{proxy+}",
                "ANY /api/v1/runs", "ANY /api/v1/runs/{proxy+}", "GET /health", "GET /health/ready");
    }

    @Test
    void apiGatewayMayInvokeOnlyTheApiAliases() {
        // GIVEN the Lambda permissions granted to API Gateway
        List<Object> invoked = ofType("AWS::Lambda::Permission").stream()
                .filter(permission -> "apigateway.amazonaws.com".equals(permission.get("Principal")))
                .map(permission -> permission.get("FunctionName"))
                .distinct()
                .toList();

        // WHEN / THEN they name the two live aliases and no bare function
        assertThat(invoked).containsExactlyInAnyOrder(ref(alias(GOALS_API)), ref(alias(RUNS_API)));
    }

    @Test
    void corsPreflightAllowsAnyOriginTheApiMethodsAndContentType() {
        // GIVEN the HTTP API
        Map<String, Object> api = properties(logicalId(SkyrunStack.HTTP_API));

        // WHEN reading its CORS configuration
        Map<String, Object> cors = cast(api.get("CorsConfiguration"));

        // THEN preflight is answered for browsers on any origin
        assertThat(api).containsEntry("ProtocolType", "HTTP");
        assertThat(cors).containsEntry("AllowOrigins", List.of("*"))
                .containsEntry("AllowHeaders", List.of("content-type"));
        assertThat(asList(cors.get("AllowMethods")))
                .containsExactlyInAnyOrder("GET", "POST", "PATCH", "DELETE", "OPTIONS");
    }

    // ---- functions ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "goals-api, io.skyrun.aws.HttpApiFunction",
            "runs-api, io.skyrun.aws.HttpApiFunction",
            "run-worker, io.skyrun.worker.RunWorkerHandler::handleRequest",
            "schedule-trigger, io.skyrun.trigger.ScheduleTriggerHandler::handleRequest"})
    void functionRunsItsHandlerOnJava17(String function, String handler) {
        // GIVEN the function
        // WHEN reading its runtime settings
        Map<String, Object> properties = properties(logicalId(function));

        // THEN it runs the module's handler on the Java 21 managed runtime (Java 17 bytecode; java17 is past end of life)
        assertThat(properties).containsEntry("Handler", handler).containsEntry("Runtime", "java21");
    }

    @ParameterizedTest(name = "{0}: {1} MB, {2} s")
    @CsvSource({
            "goals-api, 1024, 15",
            "runs-api, 1024, 15",
            "run-worker, 1024, 300",
            "schedule-trigger, 512, 30"})
    void functionHasItsMemoryAndTimeout(String function, int memoryMb, int timeoutSeconds) {
        // GIVEN the function
        // WHEN reading its sizing
        Map<String, Object> properties = properties(logicalId(function));

        // THEN memory and timeout are the documented ones
        assertThat(number(properties.get("MemorySize"))).isEqualTo(memoryMb);
        assertThat(number(properties.get("Timeout"))).isEqualTo(timeoutSeconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionSnapshotsPublishedVersions(String function) {
        // GIVEN the function
        // WHEN reading its SnapStart setting
        Map<String, Object> snapStart = cast(properties(logicalId(function)).get("SnapStart"));

        // THEN published versions (what the alias points at) start from a snapshot
        assertThat(snapStart).containsEntry("ApplyOn", "PublishedVersions");
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void liveAliasPointsAtTheCurrentPublishedVersion(String function) {
        // GIVEN the function's alias
        Map<String, Object> alias = properties(logicalId(alias(function)));

        // WHEN following its version
        Map<String, Object> version = properties(getAttId(alias.get("FunctionVersion"), "Version"));

        // THEN it is named live and targets a version published from this function
        assertThat(alias).containsEntry("Name", "live").containsEntry("FunctionName", ref(function));
        assertThat(version).containsEntry("FunctionName", ref(function));
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionCodeIsItsOwnJarFromTheFunctionsBuild(String function) throws IOException {
        // GIVEN the function's code location
        Map<String, Object> code = cast(properties(logicalId(function)).get("Code"));
        String objectKey = (String) code.get("S3Key");

        // WHEN reading the asset staged for that key
        byte[] staged = Files.readAllBytes(cloudAssembly.resolve("asset." + objectKey));

        // THEN it is a file asset holding exactly functions/<name>/target/<name>.jar
        assertThat(objectKey).endsWith(".jar");
        assertThat(staged).isEqualTo(placeholderJars.get(function));
    }

    @Test
    void synthFailsWithABuildHintWhenAFunctionJarIsMissing() {
        // GIVEN a repository root where nothing was built
        Path emptyRoot = workDir.resolve("unbuilt");
        App app = new App(AppProps.builder().outdir(workDir.resolve("unbuilt.out").toString()).build());

        // WHEN / THEN the stack refuses to build and says which command produces the jars
        assertThatThrownBy(() -> new SkyrunStack(app, "Unbuilt", StackProps.builder().build(), emptyRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("functions/schedule-trigger/target/schedule-trigger.jar")
                .hasMessageContaining("mvn -B -DskipTests package");
    }

    // ---- environment ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionIsConfiguredForDynamoSqsAndEventBridge(String function) {
        // GIVEN the function
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(function);

        // THEN the adapters are selected and pointed at this stack's resources
        assertThat(variables)
                .containsEntry("SKYRUN_STORAGE", "dynamodb")
                .containsEntry("SKYRUN_TABLE", ref(TABLE))
                .containsEntry("SKYRUN_QUEUE", "sqs")
                .containsEntry("SKYRUN_QUEUE_URL", ref(RUN_QUEUE))
                .containsEntry("SKYRUN_SCHEDULER", "eventbridge")
                .containsEntry("SKYRUN_EVENT_BUS", "default")
                .containsEntry("SKYRUN_RULE_PREFIX", "skyrun-")
                .containsEntry("SKYRUN_SCHEDULE_DLQ_ARN", getAttArn(SCHEDULE_DLQ))
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API})
    void apiFunctionTargetsRulesAtTheScheduleTriggerAlias(String function) {
        // GIVEN an API function, which creates the rules
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(function);

        // THEN new rules will invoke the trigger's live alias
        assertThat(variables).containsEntry("SKYRUN_SCHEDULE_TARGET_ARN", ref(alias(SCHEDULE_TRIGGER)));
    }

    @ParameterizedTest
    @ValueSource(strings = {RUN_WORKER, SCHEDULE_TRIGGER})
    void backgroundFunctionIsNotToldTheTriggerArn(String function) {
        // GIVEN a background function (the trigger must not reference itself or the APIs: no cycle)
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(function);

        // THEN the rule target is not part of it
        assertThat(variables).doesNotContainKey("SKYRUN_SCHEDULE_TARGET_ARN");
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionKeepsOutputFilesInTheStacksBucket(String function) {
        // GIVEN the function
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(function);

        // THEN every function agrees that files live in this stack's bucket
        assertThat(variables)
                .containsEntry("SKYRUN_FILES", "s3")
                .containsEntry("SKYRUN_FILES_BUCKET", ref(FILES_BUCKET));
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER})
    void byDefaultTheModelIsOfflineAndEmailIsOff(String function) {
        // GIVEN a stack deployed without context settings
        // WHEN reading a function that reports, checks or uses the model and the mail transport
        Map<String, Object> variables = environmentOf(function);

        // THEN it is told so explicitly, and holds no key or model choice of its own
        assertThat(variables)
                .containsEntry("SKYRUN_MODEL_PROVIDER", "offline")
                .containsEntry("SKYRUN_EMAIL", "none")
                .doesNotContainKeys("SKYRUN_MODEL_API_KEY", "SKYRUN_MODEL_NAME", "SKYRUN_MODEL_BASE_URL",
                        "SKYRUN_EMAIL_FROM", "SKYRUN_EMAIL_ALLOWED_RECIPIENTS", "SKYRUN_SMTP_HOST",
                        "SKYRUN_SMTP_PASSWORD");
    }

    @Test
    void byDefaultTheWorkerHasNoSearchBackendAndNoHttpToolHosts() {
        // GIVEN a stack deployed without context settings
        // WHEN reading the worker's environment
        Map<String, Object> variables = environmentOf(RUN_WORKER);

        // THEN web_search is off and http_request may call nothing
        assertThat(variables)
                .containsEntry("SKYRUN_SEARCH_PROVIDER", "none")
                .doesNotContainKeys("SKYRUN_SEARCH_URL", "SKYRUN_SEARCH_API_KEY", "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
    }

    @Test
    void scheduleTriggerIsToldNothingAboutModelMailOrTools() {
        // GIVEN the trigger, which only starts runs
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(SCHEDULE_TRIGGER);

        // THEN no model, mail, search or tool variable reaches it
        assertThat(variables.keySet()).noneMatch(name -> name.startsWith("SKYRUN_MODEL_")
                || name.startsWith("SKYRUN_EMAIL") || name.startsWith("SKYRUN_SMTP_")
                || name.startsWith("SKYRUN_SEARCH_") || name.startsWith("SKYRUN_HTTP_TOOL_"));
    }

    @ParameterizedTest
    @ValueSource(strings = {RUNS_API, SCHEDULE_TRIGGER})
    void onlyTheWorkerGetsSearchAndToolSettings(String function) {
        // GIVEN a function other than the worker (goals-api is checked with settings in DeploySettingsStackTest)
        // WHEN reading its environment
        Map<String, Object> variables = environmentOf(function);

        // THEN the search backend is not part of it
        assertThat(variables).doesNotContainKey("SKYRUN_SEARCH_PROVIDER");
    }

    // ---- logs -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionLogsToItsOwnGroupKeptThirtyDays(String function) {
        // GIVEN the function's logging configuration
        Map<String, Object> logging = cast(properties(logicalId(function)).get("LoggingConfig"));

        // WHEN following it to the log group
        Map<String, Object> logGroup = properties(refId(logging.get("LogGroup")));

        // THEN logs are kept one month
        assertThat(resource(refId(logging.get("LogGroup"))).get("Type")).isEqualTo("AWS::Logs::LogGroup");
        assertThat(number(logGroup.get("RetentionInDays"))).isEqualTo(30);
    }

    // ---- DynamoDB -------------------------------------------------------------------------------------------

    @Test
    void tableIsKeyedByStringPkAndSk() {
        // GIVEN the table
        // WHEN reading its key schema
        Map<String, Object> table = properties(logicalId(TABLE));

        // THEN PK is the hash key and SK the range key, both strings
        assertThat(table.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", "PK", "KeyType", "HASH"),
                Map.of("AttributeName", "SK", "KeyType", "RANGE")));
        assertThat(asList(table.get("AttributeDefinitions"))).contains(
                Map.of("AttributeName", "PK", "AttributeType", "S"),
                Map.of("AttributeName", "SK", "AttributeType", "S"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GSI1", "GSI2", "GSI3"})
    void tableHasTheIndexWithStringKeysAndAllAttributesProjected(String index) {
        // GIVEN the table
        Map<String, Object> table = properties(logicalId(TABLE));

        // WHEN looking up the index
        Map<String, Object> gsi = asList(table.get("GlobalSecondaryIndexes")).stream()
                .map(SkyrunStackTest::map)
                .filter(candidate -> index.equals(candidate.get("IndexName")))
                .findFirst().orElseThrow();

        // THEN it is keyed <index>PK / <index>SK (strings) and projects everything
        assertThat(gsi.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", index + "PK", "KeyType", "HASH"),
                Map.of("AttributeName", index + "SK", "KeyType", "RANGE")));
        assertThat(gsi.get("Projection")).isEqualTo(Map.of("ProjectionType", "ALL"));
        assertThat(asList(table.get("AttributeDefinitions"))).contains(
                Map.of("AttributeName", index + "PK", "AttributeType", "S"),
                Map.of("AttributeName", index + "SK", "AttributeType", "S"));
    }

    @Test
    void tableHasExactlyThreeIndexes() {
        // GIVEN / WHEN the table's indexes
        List<Object> indexes = asList(properties(logicalId(TABLE)).get("GlobalSecondaryIndexes"));

        // THEN there are three
        assertThat(indexes).hasSize(3);
    }

    @Test
    void tableIsOnDemandWithPointInTimeRecoveryAndTtl() {
        // GIVEN the table
        // WHEN reading its settings
        Map<String, Object> table = properties(logicalId(TABLE));

        // THEN it bills per request, can be restored, and expires items on expiresAt
        assertThat(table)
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                .containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true));
    }

    @Test
    void tableSurvivesStackDeletion() {
        // GIVEN / WHEN the table resource
        Map<String, Object> table = resource(logicalId(TABLE));

        // THEN CloudFormation retains it on delete and on replacement
        assertThat(table).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
    }

    // ---- S3 (output files) -----------------------------------------------------------------------------------

    @Test
    void filesBucketBlocksEveryKindOfPublicAccess() {
        // GIVEN / WHEN the files bucket
        Map<String, Object> bucket = properties(logicalId(FILES_BUCKET));

        // THEN no ACL or bucket policy can make an object public, and ACLs are off altogether
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true,
                "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(bucket.get("OwnershipControls"))
                .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
    }

    @Test
    void filesBucketEncryptsEveryObject() {
        // GIVEN / WHEN the files bucket's encryption
        Map<String, Object> encryption = cast(properties(logicalId(FILES_BUCKET)).get("BucketEncryption"));

        // THEN objects are encrypted at rest with S3-managed keys
        assertThat(encryption).isEqualTo(Map.of("ServerSideEncryptionConfiguration", List.of(
                Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
    }

    @Test
    void filesBucketSurvivesStackDeletion() {
        // GIVEN / WHEN the files bucket resource
        Map<String, Object> bucket = resource(logicalId(FILES_BUCKET));

        // THEN like the table, CloudFormation keeps it on delete and on replacement
        assertThat(bucket).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
    }

    @Test
    void filesBucketKeepsFilesUntilTheirRunIsDeletedByDefault() {
        // GIVEN / WHEN the files bucket without filesExpireDays
        Map<String, Object> bucket = properties(logicalId(FILES_BUCKET));

        // THEN no lifecycle rule expires anything
        assertThat(bucket).doesNotContainKey("LifecycleConfiguration");
    }

    @Test
    void filesBucketRefusesRequestsWithoutTls12() {
        // GIVEN the files bucket's policy
        Map<String, Object> policy = onlyResource("AWS::S3::BucketPolicy", "Bucket", ref(FILES_BUCKET));
        List<Object> bucketAndObjects = List.of(getAttArn(FILES_BUCKET), objectsArn(FILES_BUCKET));

        // WHEN reading its statements
        List<Map<String, Object>> denies = statements(policy).stream()
                .filter(statement -> "Deny".equals(statement.get("Effect")))
                .toList();

        // THEN plain HTTP and TLS below 1.2 are denied to everyone, on the bucket and on every object
        assertThat(statements(policy)).allSatisfy(statement -> assertThat(statement.get("Effect")).isEqualTo("Deny"));
        assertThat(denies).anySatisfy(statement -> {
            assertThat(statement.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            assertThat(statement.get("Principal")).isEqualTo(Map.of("AWS", "*"));
            assertThat(asList(statement.get("Action"))).containsExactly("s3:*");
            assertThat(asList(statement.get("Resource"))).containsExactlyInAnyOrderElementsOf(bucketAndObjects);
        });
        assertThat(denies).anySatisfy(statement -> {
            assertThat(statement.get("Condition")).isEqualTo(Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)));
            assertThat(asList(statement.get("Resource"))).containsExactlyInAnyOrderElementsOf(bucketAndObjects);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "goals-api | s3:ListBucket | s3:DeleteObject",
            "runs-api | s3:ListBucket | s3:GetObject s3:DeleteObject",
            "run-worker | | s3:PutObject",
            "schedule-trigger | | "})
    void functionHasExactlyTheFileRightsItsJobNeeds(String function, String bucketActions, String objectActions) {
        // GIVEN what the function does with files: goals-api deletes a goal's, runs-api lists, serves and deletes a
        // run's, the worker writes them, the trigger never touches them
        Map<List<Object>, Object> expected = new HashMap<>();
        if (bucketActions != null) {
            expected.put(List.of(bucketActions.split(" ")), List.of(getAttArn(FILES_BUCKET)));
        }
        if (objectActions != null) {
            expected.put(List.of(objectActions.split(" ")), List.of(objectsArn(FILES_BUCKET)));
        }

        // WHEN collecting every S3 statement of its role
        Map<List<Object>, Object> granted = new HashMap<>();
        for (Map<String, Object> statement : statementsOf(function)) {
            List<Object> actions = asList(statement.get("Action"));
            if (actions.stream().anyMatch(action -> action.toString().startsWith("s3:"))) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                granted.put(actions, asList(statement.get("Resource")));
            }
        }

        // THEN those are all, each on the bucket or its objects, and nothing else
        assertThat(granted).isEqualTo(expected);
    }

    // ---- SQS ------------------------------------------------------------------------------------------------

    @Test
    void runQueueHidesAMessageForSixWorkerTimeouts() {
        // GIVEN / WHEN the run queue
        Map<String, Object> queue = properties(logicalId(RUN_QUEUE));

        // THEN a message in flight stays invisible 30 minutes (6 x 5 minutes)
        assertThat(number(queue.get("VisibilityTimeout"))).isEqualTo(1800);
    }

    @Test
    void runQueueRedrivesToTheRunDlqAfterFiveReceives() {
        // GIVEN / WHEN the run queue's redrive policy
        Map<String, Object> redrive = cast(properties(logicalId(RUN_QUEUE)).get("RedrivePolicy"));

        // THEN a poison message lands in run-dlq on its fifth receive
        assertThat(redrive).containsEntry("deadLetterTargetArn", getAttArn(RUN_DLQ));
        assertThat(number(redrive.get("maxReceiveCount"))).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {RUN_DLQ, SCHEDULE_DLQ})
    void deadLetterQueueKeepsMessagesFourteenDays(String queue) {
        // GIVEN / WHEN the dead-letter queue
        Map<String, Object> properties = properties(logicalId(queue));

        // THEN messages stay 14 days, the SQS maximum, for inspection and redrive
        assertThat(number(properties.get("MessageRetentionPeriod"))).isEqualTo(14 * 24 * 3600);
    }

    @Test
    void scheduleDlqAcceptsMessagesOnlyFromSkyrunRules() {
        // GIVEN the schedule DLQ's queue policy
        Map<String, Object> policy = onlyResource("AWS::SQS::QueuePolicy", "Queues", List.of(ref(SCHEDULE_DLQ)));

        // WHEN looking for the statement that lets EventBridge in
        List<Map<String, Object>> allows = statements(policy).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .toList();

        // THEN only EventBridge may send, and only on behalf of rules named skyrun-*
        assertThat(allows).singleElement().satisfies(statement -> {
            assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
            assertThat(asList(statement.get("Action"))).containsExactly("sqs:SendMessage");
            assertThat(statement.get("Resource")).isEqualTo(getAttArn(SCHEDULE_DLQ));
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("ArnLike", Map.of("aws:SourceArn", RULE_ARN_PATTERN)));
        });
    }

    // ---- worker event source --------------------------------------------------------------------------------

    @Test
    void workerAliasConsumesTheRunQueueFiveAtATimeWithPartialBatchFailures() {
        // GIVEN the only event source mapping
        List<Map<String, Object>> mappings = ofType("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(1);
        Map<String, Object> mapping = mappings.get(0);

        // WHEN reading where it reads from and how
        // THEN it polls the run queue in batches of 5 and lets the worker fail single messages
        assertThat(mapping)
                .containsEntry("EventSourceArn", getAttArn(RUN_QUEUE))
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
        assertThat(number(mapping.get("BatchSize"))).isEqualTo(5);
    }

    @Test
    void workerEventSourceInvokesTheLiveAlias() {
        // GIVEN the event source mapping's function name, which CDK renders as "<function name>:live"
        Map<String, Object> mapping = ofType("AWS::Lambda::EventSourceMapping").get(0);
        List<Object> join = asList(map(mapping.get("FunctionName")).get("Fn::Join"));
        List<Object> parts = asList(join.get(1));

        // WHEN taking apart the name and its qualifier
        Map<String, Object> nameFromAliasArn = cast(parts.get(0));
        List<Object> split = asList(map(asList(nameFromAliasArn.get("Fn::Select")).get(1)).get("Fn::Split"));

        // THEN the name comes from the worker alias ARN and the qualifier is the alias, not $LATEST
        assertThat(split.get(1)).isEqualTo(ref(alias(RUN_WORKER)));
        assertThat(parts.get(1)).isEqualTo(":live");
    }

    // ---- EventBridge ----------------------------------------------------------------------------------------

    @Test
    void skyrunRulesMayInvokeTheScheduleTriggerAlias() {
        // GIVEN the Lambda permissions granted to EventBridge
        List<Map<String, Object>> permissions = ofType("AWS::Lambda::Permission").stream()
                .filter(permission -> "events.amazonaws.com".equals(permission.get("Principal")))
                .toList();

        // WHEN / THEN one permission lets rules named skyrun-* in this account and region invoke the alias
        assertThat(permissions).singleElement().satisfies(permission -> assertThat(permission)
                .containsEntry("Action", "lambda:InvokeFunction")
                .containsEntry("FunctionName", ref(alias(SCHEDULE_TRIGGER)))
                .containsEntry("SourceArn", RULE_ARN_PATTERN));
    }

    @Test
    void goalsApiMayManageOnlyRulesNamedWithThePrefix() {
        // GIVEN the goals-api role policy
        // WHEN looking for the rule-management statement
        List<Map<String, Object>> ruleStatements = statementsOf(GOALS_API).stream()
                .filter(statement -> asList(statement.get("Action")).contains("events:PutRule"))
                .toList();

        // THEN it covers the rule lifecycle on rule/skyrun-* and nothing wider
        assertThat(ruleStatements).singleElement().satisfies(statement -> {
            assertThat(asList(statement.get("Action"))).containsExactlyInAnyOrder(
                    "events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets",
                    "events:EnableRule", "events:DisableRule", "events:DescribeRule", "events:ListTargetsByRule");
            assertThat(asList(statement.get("Resource"))).containsExactly(RULE_ARN_PATTERN);
        });
    }

    @Test
    void goalsApiMayListRulesWhichIamCannotScope() {
        // GIVEN the goals-api role policy
        // WHEN looking for ListRules
        List<Map<String, Object>> listStatements = statementsOf(GOALS_API).stream()
                .filter(statement -> asList(statement.get("Action")).contains("events:ListRules"))
                .toList();

        // THEN it stands alone on "*", the only resource IAM accepts for it
        assertThat(listStatements).singleElement().satisfies(statement -> {
            assertThat(asList(statement.get("Action"))).containsExactly("events:ListRules");
            assertThat(asList(statement.get("Resource"))).containsExactly("*");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void otherFunctionsCannotTouchRules(String function) {
        // GIVEN / WHEN another function's role policy
        List<Object> actions = statementsOf(function).stream()
                .flatMap(statement -> asList(statement.get("Action")).stream())
                .toList();

        // THEN it grants no EventBridge action
        assertThat(actions).noneMatch(action -> action.toString().startsWith("events:"));
    }

    @Test
    void noRoleCanPassRoles() {
        // GIVEN every IAM policy in the stack
        List<Object> actions = ofType("AWS::IAM::Policy").stream()
                .flatMap(policy -> statements(policy).stream())
                .flatMap(statement -> asList(statement.get("Action")).stream())
                .toList();

        // WHEN / THEN Lambda rule targets need no role, so iam:PassRole is never granted
        assertThat(actions).doesNotContain("iam:PassRole", "iam:*", "*");
    }

    @Test
    void byDefaultNoRoleMayInvokeModelsSendMailOrReadSecrets() {
        // GIVEN every IAM policy of a stack deployed with the offline model and no mail transport
        List<String> actions = ofType("AWS::IAM::Policy").stream()
                .flatMap(policy -> statements(policy).stream())
                .flatMap(statement -> asList(statement.get("Action")).stream())
                .map(Object::toString)
                .toList();

        // WHEN / THEN Bedrock and SES are granted only when selected, and secrets are resolved at deploy time
        assertThat(actions).isNotEmpty()
                .noneMatch(action -> action.startsWith("bedrock:") || action.startsWith("ses:")
                        || action.startsWith("secretsmanager:") || action.startsWith("ssm:"));
    }

    // ---- grants ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER})
    void functionMayReadAndWriteTheTableAndItsIndexes(String function) {
        // GIVEN / WHEN the function's role policy
        List<Map<String, Object>> statements = statementsOf(function);

        // THEN it allows item reads and conditional writes on the table and its indexes
        assertThat(statements).anySatisfy(statement -> {
            assertThat(asList(statement.get("Action")))
                    .contains("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");
            assertThat(asList(statement.get("Resource"))).contains(getAttArn(TABLE));
        });
    }

    @ParameterizedTest(name = "{0} may send: {1}")
    @CsvSource({"goals-api, true", "runs-api, false", "run-worker, true", "schedule-trigger, true"})
    void onlyEnqueuingFunctionsMaySendToTheRunQueue(String function, boolean maySend) {
        // GIVEN / WHEN the function's role policy
        boolean sends = statementsOf(function).stream().anyMatch(statement ->
                asList(statement.get("Action")).contains("sqs:SendMessage")
                        && asList(statement.get("Resource")).contains(getAttArn(RUN_QUEUE)));

        // THEN only goals-api (run now), run-worker (re-enqueue) and schedule-trigger may send
        assertThat(sends).isEqualTo(maySend);
    }

    @ParameterizedTest(name = "{0} may consume: {1}")
    @CsvSource({"goals-api, false", "runs-api, false", "run-worker, true", "schedule-trigger, false"})
    void onlyTheWorkerMayConsumeTheRunQueue(String function, boolean mayConsume) {
        // GIVEN / WHEN the function's role policy
        boolean consumes = statementsOf(function).stream().anyMatch(statement ->
                asList(statement.get("Action")).containsAll(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage"))
                        && asList(statement.get("Resource")).contains(getAttArn(RUN_QUEUE)));

        // THEN the event source's consume grant went to the worker alone
        assertThat(consumes).isEqualTo(mayConsume);
    }

    // ---- outputs --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ApiUrl", "TableName", "RunQueueUrl", "RunDlqUrl", "ScheduleTriggerArn", "FilesBucketName"})
    void stackExportsTheOutput(String output) {
        // GIVEN / WHEN the stack outputs
        Map<String, Object> outputs = cast(template.toJSON().get("Outputs"));

        // THEN the output is there, referencing the resource it names
        Map<String, Object> expected = Map.of(
                "ApiUrl", Map.of("Fn::GetAtt", List.of(logicalId(SkyrunStack.HTTP_API), "ApiEndpoint")),
                "TableName", ref(TABLE),
                "RunQueueUrl", ref(RUN_QUEUE),
                "RunDlqUrl", ref(RUN_DLQ),
                "ScheduleTriggerArn", ref(alias(SCHEDULE_TRIGGER)),
                "FilesBucketName", ref(FILES_BUCKET));
        assertThat(outputs).containsKey(output);
        assertThat(map(outputs.get(output)))
                .containsEntry("Value", expected.get(output));
    }

    // ---- synthesis ------------------------------------------------------------------------------------------

    @Test
    void synthesisRaisesNoWarningsOrErrors() {
        // GIVEN / WHEN the annotations CDK attached during synthesis
        Annotations annotations = Annotations.fromStack(stack);

        // THEN nothing needs a reader's attention at deploy time
        assertThat(describe(annotations.findWarning("*", Match.anyValue()))).isEmpty();
        assertThat(describe(annotations.findError("*", Match.anyValue()))).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A small but real jar whose bytes differ per function, so a mix-up between assets shows. */
    private static byte[] placeholderJar(Path repoRoot, String name) throws IOException {
        Path jar = repoRoot.resolve("functions").resolve(name).resolve("target").resolve(name + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("placeholder/" + name + ".txt"));
            out.write(name.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return Files.readAllBytes(jar);
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(message -> message.getId() + ": " + message.getEntry().getData()).toList();
    }

    private static String alias(String function) {
        return function + "-" + SkyrunStack.LIVE_ALIAS;
    }

    /** The CloudFormation logical ID of the construct at {@code path} under the stack. */
    private static String logicalId(String... path) {
        IConstruct construct = stack;
        for (String id : path) {
            construct = construct.getNode().findChild(id);
        }
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return (String) stack.resolve(stack.getLogicalId(element));
    }

    private static Map<String, Object> ref(String constructId) {
        return Map.of("Ref", logicalId(constructId));
    }

    private static Map<String, Object> getAttArn(String constructId) {
        return Map.of("Fn::GetAtt", List.of(logicalId(constructId), "Arn"));
    }

    /** What {@code bucket.arnForObjects("*")} renders. */
    private static Map<String, Object> objectsArn(String bucketId) {
        return Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/*")));
    }

    private static String refId(Object ref) {
        return (String) map(ref).get("Ref");
    }

    private static String getAttId(Object getAtt, String attribute) {
        List<Object> parts = asList(map(getAtt).get("Fn::GetAtt"));
        assertThat(parts.get(1)).isEqualTo(attribute);
        return (String) parts.get(0);
    }

    private static String integrationIdOf(Map<String, Object> route) {
        List<Object> join = asList(map(route.get("Target")).get("Fn::Join"));
        List<Object> parts = asList(join.get(1));
        assertThat(parts.get(0)).isEqualTo("integrations/");
        return refId(parts.get(1));
    }

    private static Map<String, Object> resource(String logicalId) {
        assertThat(resources).containsKey(logicalId);
        return resources.get(logicalId);
    }

    private static Map<String, Object> properties(String logicalId) {
        return cast(resource(logicalId).get("Properties"));
    }

    /** Properties of every resource of the given type. */
    private static List<Map<String, Object>> ofType(String type) {
        return resources.values().stream()
                .filter(resource -> type.equals(resource.get("Type")))
                .map(resource -> map(resource.get("Properties")))
                .toList();
    }

    private static Map<String, Object> onlyResource(String type, String property, Object value) {
        List<Map<String, Object>> matches = ofType(type).stream()
                .filter(properties -> value.equals(properties.get(property)))
                .toList();
        assertThat(matches).as("%s with %s = %s", type, property, value).hasSize(1);
        return matches.get(0);
    }

    private static Map<String, Object> environmentOf(String function) {
        Map<String, Object> environment = cast(properties(logicalId(function)).get("Environment"));
        return cast(environment.get("Variables"));
    }

    /** Statements of the default policy CDK attaches to the function's execution role. */
    private static List<Map<String, Object>> statementsOf(String function) {
        return statements(properties(logicalId(function, "ServiceRole", "DefaultPolicy")));
    }

    private static List<Map<String, Object>> statements(Map<String, Object> policyProperties) {
        Map<String, Object> document = cast(policyProperties.get("PolicyDocument"));
        return asList(document.get("Statement")).stream()
                .map(SkyrunStackTest::map)
                .toList();
    }

    /** IAM and CloudFormation allow a single value where a list is expected; tests compare lists. */
    private static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    private static int number(Object value) {
        return ((Number) value).intValue();
    }

    private static Map<String, Object> map(Object value) {
        return cast(value);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
