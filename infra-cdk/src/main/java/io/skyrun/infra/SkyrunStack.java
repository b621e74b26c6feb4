package io.skyrun.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/** The whole skyrun deployment: HTTP API, four SnapStart Lambdas, one DynamoDB table, the run queue and its DLQs. */
public class SkyrunStack extends Stack {

    public static final String GOALS_API = "goals-api";
    public static final String RUNS_API = "runs-api";
    public static final String RUN_WORKER = "run-worker";
    public static final String SCHEDULE_TRIGGER = "schedule-trigger";
    public static final String LIVE_ALIAS = "live";

    public static final String TABLE = "table";
    public static final String RUN_QUEUE = "run-queue";
    public static final String RUN_DLQ = "run-dlq";
    public static final String SCHEDULE_DLQ = "schedule-dlq";
    public static final String HTTP_API = "http-api";

    /** Rules are created at run time by goals-api; every grant below is scoped to this name prefix. */
    public static final String RULE_PREFIX = "skyrun-";

    static final String API_HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    static final String WORKER_HANDLER = "io.skyrun.worker.RunWorkerHandler::handleRequest";
    static final String TRIGGER_HANDLER = "io.skyrun.trigger.ScheduleTriggerHandler::handleRequest";

    static final int API_MEMORY_MB = 1024;
    static final int API_TIMEOUT_SECONDS = 15;
    static final int WORKER_MEMORY_MB = 1024;
    static final int WORKER_TIMEOUT_MINUTES = 5;
    static final int TRIGGER_MEMORY_MB = 512;
    static final int TRIGGER_TIMEOUT_SECONDS = 30;

    /** AWS's guidance for Lambda consumers: six times the function timeout, so a slow run is not redelivered mid-flight. */
    static final int RUN_QUEUE_VISIBILITY_MINUTES = 6 * WORKER_TIMEOUT_MINUTES;
    static final int MAX_RECEIVE_COUNT = 5;
    static final int DLQ_RETENTION_DAYS = 14;
    static final int WORKER_BATCH_SIZE = 5;

    /** C1 JIT only: measured 1.68 s -> 1.27 s cold start on the shaded jar (BUILD-NOTES). */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    static final List<String> RULE_ACTIONS = List.of(
            "events:PutRule",
            "events:PutTargets",
            "events:DeleteRule",
            "events:RemoveTargets",
            "events:EnableRule",
            "events:DisableRule",
            "events:DescribeRule",
            "events:ListTargetsByRule");

    private final Path repoRoot;

    /** A function with its {@code live} alias; callers and event sources always go through the alias so SnapStart applies. */
    record LiveFunction(Function function, Alias alias) {
    }

    public SkyrunStack(Construct scope, String id, StackProps props, Path repoRoot) {
        super(scope, id, props);
        this.repoRoot = repoRoot;

        Table table = table();
        Queue runDlq = deadLetterQueue(RUN_DLQ);
        Queue runQueue = runQueue(runDlq);
        Queue scheduleDlq = scheduleDlq();
        Map<String, String> environment = environment(table, runQueue, scheduleDlq);

        // The trigger comes first and depends on nothing else: the API functions need its alias ARN, so the
        // reverse reference would be a cycle.
        LiveFunction trigger = scheduleTrigger(environment);
        table.grantReadWriteData(trigger.function());
        runQueue.grantSendMessages(trigger.function());

        LiveFunction worker = runWorker(environment, runQueue);
        table.grantReadWriteData(worker.function());
        runQueue.grantSendMessages(worker.function());

        Map<String, String> apiEnvironment = new TreeMap<>(environment);
        apiEnvironment.put("SKYRUN_SCHEDULE_TARGET_ARN", trigger.alias().getFunctionArn());
        LiveFunction goals = apiFunction(GOALS_API, apiEnvironment);
        LiveFunction runs = apiFunction(RUNS_API, apiEnvironment);
        table.grantReadWriteData(goals.function());
        table.grantReadWriteData(runs.function());
        runQueue.grantSendMessages(goals.function());
        grantRuleManagement(goals.function());

        HttpApi api = httpApi(goals.alias(), runs.alias());

        output("ApiUrl", api.getApiEndpoint());
        output("TableName", table.getTableName());
        output("RunQueueUrl", runQueue.getQueueUrl());
        output("RunDlqUrl", runDlq.getQueueUrl());
        output("ScheduleTriggerArn", trigger.alias().getFunctionArn());
    }

    private Table table() {
        Table table = Table.Builder.create(this, TABLE)
                .partitionKey(stringKey("PK"))
                .sortKey(stringKey("SK"))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute("expiresAt")
                // Goals, runs and checkpoints are user data: a stack delete must not take them along.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (String index : List.of("GSI1", "GSI2", "GSI3")) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index)
                    .partitionKey(stringKey(index + "PK"))
                    .sortKey(stringKey(index + "SK"))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return table;
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    private Queue deadLetterQueue(String id) {
        return Queue.Builder.create(this, id)
                .retentionPeriod(Duration.days(DLQ_RETENTION_DAYS))
                .enforceSsl(true)
                .build();
    }

    private Queue runQueue(Queue dlq) {
        return Queue.Builder.create(this, RUN_QUEUE)
                .visibilityTimeout(Duration.minutes(RUN_QUEUE_VISIBILITY_MINUTES))
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .enforceSsl(true)
                .build();
    }

    /** EventBridge delivers here the rule invocations it could not hand to schedule-trigger. */
    private Queue scheduleDlq() {
        Queue dlq = deadLetterQueue(SCHEDULE_DLQ);
        // EventBridge DLQs are authorised by the queue policy, not by a role; the source ARN keeps other
        // accounts' and other apps' rules out.
        dlq.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowSkyrunRulesDeadLetters")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(dlq.getQueueArn()))
                .conditions(Map.of("ArnLike", Map.of("aws:SourceArn", ruleArnPattern())))
                .build());
        return dlq;
    }

    private Map<String, String> environment(Table table, Queue runQueue, Queue scheduleDlq) {
        Map<String, String> env = new TreeMap<>();
        env.put("SKYRUN_STORAGE", "dynamodb");
        env.put("SKYRUN_TABLE", table.getTableName());
        env.put("SKYRUN_QUEUE", "sqs");
        env.put("SKYRUN_QUEUE_URL", runQueue.getQueueUrl());
        env.put("SKYRUN_SCHEDULER", "eventbridge");
        env.put("SKYRUN_EVENT_BUS", "default");
        env.put("SKYRUN_RULE_PREFIX", RULE_PREFIX);
        env.put("SKYRUN_SCHEDULE_DLQ_ARN", scheduleDlq.getQueueArn());
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return env;
    }

    private LiveFunction apiFunction(String name, Map<String, String> environment) {
        return snapStartFunction(name, API_HANDLER, API_MEMORY_MB, Duration.seconds(API_TIMEOUT_SECONDS), environment);
    }

    private LiveFunction runWorker(Map<String, String> environment, Queue runQueue) {
        LiveFunction worker = snapStartFunction(RUN_WORKER, WORKER_HANDLER, WORKER_MEMORY_MB,
                Duration.minutes(WORKER_TIMEOUT_MINUTES), environment);
        // Mapped to the alias, not $LATEST, so deliveries hit the SnapStart snapshot; partial batch failures
        // keep one poison message from redelivering its four neighbours.
        worker.alias().addEventSource(SqsEventSource.Builder.create(runQueue)
                .batchSize(WORKER_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .build());
        return worker;
    }

    private LiveFunction scheduleTrigger(Map<String, String> environment) {
        LiveFunction trigger = snapStartFunction(SCHEDULE_TRIGGER, TRIGGER_HANDLER, TRIGGER_MEMORY_MB,
                Duration.seconds(TRIGGER_TIMEOUT_SECONDS), environment);
        // One wildcard permission up front, so goals-api can create rules without lambda:AddPermission and
        // without growing the function policy by one statement per goal.
        trigger.alias().addPermission("invoke-from-skyrun-rules", Permission.builder()
                .principal(new ServicePrincipal("events.amazonaws.com"))
                .sourceArn(ruleArnPattern())
                .build());
        return trigger;
    }

    private LiveFunction snapStartFunction(String name, String handler, int memoryMb, Duration timeout,
                                           Map<String, String> environment) {
        Function function = Function.Builder.create(this, name)
                .runtime(Runtime.JAVA_21)
                .handler(handler)
                .code(jar(name))
                .memorySize(memoryMb)
                .timeout(timeout)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(environment)
                .logGroup(logGroup(name))
                .build();
        // SnapStart only snapshots published versions; the alias follows the version CDK publishes on each change.
        Alias alias = Alias.Builder.create(this, name + "-" + LIVE_ALIAS)
                .aliasName(LIVE_ALIAS)
                .version(function.getCurrentVersion())
                .build();
        // CDK warns at construction, before it can see the version published just above.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published through currentVersion, invoked through the live alias");
        return new LiveFunction(function, alias);
    }

    private LogGroup logGroup(String functionName) {
        return LogGroup.Builder.create(this, functionName + "-logs")
                .retention(RetentionDays.ONE_MONTH)
                .build();
    }

    private Code jar(String name) {
        Path jar = repoRoot.resolve("functions").resolve(name).resolve("target").resolve(name + ".jar");
        // Code.fromAsset's own error names only the path; say which build produces it.
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Missing " + jar
                    + ": run `mvn -B -DskipTests package` at the repository root before synth or deploy");
        }
        return Code.fromAsset(jar.toString());
    }

    private HttpApi httpApi(Alias goals, Alias runs) {
        HttpApi api = HttpApi.Builder.create(this, HTTP_API)
                .apiName("skyrun")
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(List.of("*"))
                        .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH,
                                CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS))
                        .allowHeaders(List.of("content-type"))
                        .build())
                .build();
        HttpLambdaIntegration goalsIntegration = new HttpLambdaIntegration("goals-integration", goals);
        HttpLambdaIntegration runsIntegration = new HttpLambdaIntegration("runs-integration", runs);
        route(api, goalsIntegration, HttpMethod.ANY, "/api/v1/goals", "/api/v1/goals/{proxy+}");
        route(api, runsIntegration, HttpMethod.ANY, "/api/v1/runs", "/api/v1/runs/{proxy+}");
        route(api, goalsIntegration, HttpMethod.GET, "/health", "/health/ready");
        return api;
    }

    private static void route(HttpApi api, HttpLambdaIntegration integration, HttpMethod method, String... paths) {
        for (String path : paths) {
            api.addRoutes(AddRoutesOptions.builder()
                    .path(path)
                    .methods(List.of(method))
                    .integration(integration)
                    .build());
        }
    }

    private void grantRuleManagement(Function function) {
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("ManageSkyrunRules")
                .actions(RULE_ACTIONS)
                .resources(List.of(ruleArnPattern()))
                .build());
        // ListRules has no resource-level permissions in IAM: it is allowed on "*" or not at all.
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("ListRules")
                .actions(List.of("events:ListRules"))
                .resources(List.of("*"))
                .build());
    }

    /** Rules on the default bus named with {@link #RULE_PREFIX}, in this stack's partition, region and account. */
    String ruleArnPattern() {
        return formatArn(ArnComponents.builder()
                .service("events")
                .resource("rule")
                .resourceName(RULE_PREFIX + "*")
                .build());
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }
}
