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
import software.amazon.awscdk.SecretValue;
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
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The whole skyrun deployment: HTTP API, four SnapStart Lambdas, one DynamoDB table, the run queue and its DLQs,
 * and the bucket of run output files. {@link DeploySettings} picks the model, mail transport and tools.
 */
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
    /** Output files, keyed {@code <owner>/<goal>/<run>/<name>}; LocalStack names its bucket {@code skyrun-files}. */
    public static final String FILES_BUCKET = "files";

    /** Rules are created at run time by goals-api; every grant below is scoped to this name prefix. */
    public static final String RULE_PREFIX = "skyrun-";

    static final String API_HANDLER = "io.skyrun.aws.HttpApiFunction";
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
    private final DeploySettings settings;

    /** A function with its {@code live} alias; callers and event sources always go through the alias so SnapStart applies. */
    record LiveFunction(Function function, Alias alias) {
    }

    /** The stack with {@link DeploySettings#defaults()}: offline model, no email, no search. */
    public SkyrunStack(Construct scope, String id, StackProps props, Path repoRoot) {
        this(scope, id, props, repoRoot, DeploySettings.defaults());
    }

    public SkyrunStack(Construct scope, String id, StackProps props, Path repoRoot, DeploySettings settings) {
        super(scope, id, props);
        this.repoRoot = repoRoot;
        this.settings = settings;

        Table table = table();
        Queue runDlq = deadLetterQueue(RUN_DLQ);
        Queue runQueue = runQueue(runDlq);
        Queue scheduleDlq = scheduleDlq();
        Bucket files = filesBucket();
        Map<String, String> environment = environment(table, runQueue, scheduleDlq, files);

        // The trigger comes first and depends on nothing else: the API functions need its alias ARN, so the
        // reverse reference would be a cycle.
        LiveFunction trigger = scheduleTrigger(environment);
        table.grantReadWriteData(trigger.function());
        runQueue.grantSendMessages(trigger.function());

        Map<String, String> appEnv = appEnvironment();

        LiveFunction worker = runWorker(merged(environment, appEnv, workerEnvironment()), runQueue);
        table.grantReadWriteData(worker.function());
        runQueue.grantSendMessages(worker.function());
        // The worker writes a run's files; it never lists, reads or deletes them.
        grantFiles(worker.function(), files, false, List.of("s3:PutObject"));
        if (settings.bedrock()) {
            grantModelInvocation(worker.function());
        }
        if (settings.ses()) {
            grantSendEmail(worker.function());
        }

        Map<String, String> apiEnvironment = new TreeMap<>(environment);
        apiEnvironment.put("SKYRUN_SCHEDULE_TARGET_ARN", trigger.alias().getFunctionArn());
        LiveFunction goals = apiFunction(GOALS_API, merged(apiEnvironment, appEnv, goalsEnvironment()));
        LiveFunction runs = apiFunction(RUNS_API, merged(apiEnvironment, appEnv));
        table.grantReadWriteData(goals.function());
        table.grantReadWriteData(runs.function());
        runQueue.grantSendMessages(goals.function());
        grantRuleManagement(goals.function());
        // Deleting a goal deletes every file under <owner>/<goal>/; runs-api lists, serves and deletes a run's files.
        // ListBucket also turns a missing key into 404 NoSuchKey instead of 403, which the file store relies on.
        grantFiles(goals.function(), files, true, List.of("s3:DeleteObject"));
        grantFiles(runs.function(), files, true, List.of("s3:GetObject", "s3:DeleteObject"));

        HttpApi api = httpApi(goals.alias(), runs.alias());

        output("ApiUrl", api.getApiEndpoint());
        output("TableName", table.getTableName());
        output("RunQueueUrl", runQueue.getQueueUrl());
        output("RunDlqUrl", runDlq.getQueueUrl());
        output("ScheduleTriggerArn", trigger.alias().getFunctionArn());
        output("FilesBucketName", files.getBucketName());
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

    /** Run output files: private, encrypted, TLS only, and kept when the stack is deleted, like the table. */
    private Bucket filesBucket() {
        Bucket.Builder bucket = Bucket.Builder.create(this, FILES_BUCKET)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (settings.filesExpireDays() != null) {
            bucket.lifecycleRules(List.of(LifecycleRule.builder()
                    .id("expire-run-files")
                    .expiration(Duration.days(settings.filesExpireDays()))
                    .build()));
        }
        return bucket.build();
    }

    private Map<String, String> environment(Table table, Queue runQueue, Queue scheduleDlq, Bucket files) {
        Map<String, String> env = new TreeMap<>();
        env.put("SKYRUN_STORAGE", "dynamodb");
        env.put("SKYRUN_TABLE", table.getTableName());
        env.put("SKYRUN_QUEUE", "sqs");
        env.put("SKYRUN_QUEUE_URL", runQueue.getQueueUrl());
        env.put("SKYRUN_SCHEDULER", "eventbridge");
        env.put("SKYRUN_EVENT_BUS", "default");
        env.put("SKYRUN_RULE_PREFIX", RULE_PREFIX);
        env.put("SKYRUN_SCHEDULE_DLQ_ARN", scheduleDlq.getQueueArn());
        // Every function agrees where files live; only the ones that touch them get S3 rights.
        env.put("SKYRUN_FILES", "s3");
        env.put("SKYRUN_FILES_BUCKET", files.getBucketName());
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return env;
    }

    /**
     * Model and mail settings without secrets: the worker runs the model and sends mail, goals-api refuses email
     * outputs when no transport is set, and both APIs report the model in {@code /health/ready}.
     */
    private Map<String, String> appEnvironment() {
        Map<String, String> appEnv = new TreeMap<>();
        appEnv.put("SKYRUN_MODEL_PROVIDER", settings.modelProvider());
        if (settings.modelName() != null) {
            appEnv.put("SKYRUN_MODEL_NAME", settings.modelName());
        }
        if (settings.modelBaseUrl() != null) {
            appEnv.put("SKYRUN_MODEL_BASE_URL", settings.modelBaseUrl());
        }
        appEnv.put("SKYRUN_EMAIL", settings.email());
        if (settings.emailFrom() != null) {
            appEnv.put("SKYRUN_EMAIL_FROM", settings.emailFrom());
        }
        if (settings.emailAllowedRecipients() != null) {
            appEnv.put("SKYRUN_EMAIL_ALLOWED_RECIPIENTS", settings.emailAllowedRecipients());
        }
        if (settings.smtpHost() != null) {
            appEnv.put("SKYRUN_SMTP_HOST", settings.smtpHost());
        }
        return appEnv;
    }

    /**
     * goals-api answers {@code /health/ready}, which is 503 when a keyed provider has no key, so it gets the model
     * key too; runs-api, which never sees the model, does not.
     */
    private Map<String, String> goalsEnvironment() {
        Map<String, String> goalsEnv = new TreeMap<>();
        if (settings.modelApiKeySecret() != null) {
            goalsEnv.put("SKYRUN_MODEL_API_KEY", secretReference(settings.modelApiKeySecret()));
        }
        return goalsEnv;
    }

    /** What only the worker uses: the model key, the SMTP login, the search backend and the HTTP tool's hosts. */
    private Map<String, String> workerEnvironment() {
        Map<String, String> workerEnv = new TreeMap<>();
        if (settings.modelApiKeySecret() != null) {
            workerEnv.put("SKYRUN_MODEL_API_KEY", secretReference(settings.modelApiKeySecret()));
        }
        if (settings.smtpPort() != null) {
            workerEnv.put("SKYRUN_SMTP_PORT", settings.smtpPort().toString());
        }
        if (settings.smtpUser() != null) {
            workerEnv.put("SKYRUN_SMTP_USER", settings.smtpUser());
        }
        if (settings.smtpPasswordSecret() != null) {
            workerEnv.put("SKYRUN_SMTP_PASSWORD", secretReference(settings.smtpPasswordSecret()));
        }
        workerEnv.put("SKYRUN_SEARCH_PROVIDER", settings.searchProvider());
        if (settings.searchUrl() != null) {
            workerEnv.put("SKYRUN_SEARCH_URL", settings.searchUrl());
        }
        if (settings.searchApiKeySecret() != null) {
            workerEnv.put("SKYRUN_SEARCH_API_KEY", secretReference(settings.searchApiKeySecret()));
        }
        if (settings.httpToolAllowedHosts() != null) {
            workerEnv.put("SKYRUN_HTTP_TOOL_ALLOWED_HOSTS", settings.httpToolAllowedHosts());
        }
        return workerEnv;
    }

    /**
     * A CloudFormation dynamic reference to a Secrets Manager secret's string. The template and the cloud assembly
     * hold only the reference; CloudFormation resolves it with the deployer's rights when it writes the function, so
     * the function role needs no secretsmanager rights. The value does end up in the function's configuration
     * (encrypted at rest, readable by anyone allowed lambda:GetFunctionConfiguration), and a changed secret reaches
     * the function on its next update only: the app reads these keys from its environment and nowhere else.
     */
    private static String secretReference(String secretId) {
        return SecretValue.secretsManager(secretId).unsafeUnwrap();
    }

    @SafeVarargs
    private static Map<String, String> merged(Map<String, String>... parts) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> part : parts) {
            out.putAll(part);
        }
        return out;
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

    /** Object rights on every key of the bucket, and ListBucket on the bucket itself when the function lists. */
    private static void grantFiles(Function function, Bucket bucket, boolean list, List<String> objectActions) {
        if (list) {
            function.addToRolePolicy(PolicyStatement.Builder.create()
                    .sid("ListRunFiles")
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(bucket.getBucketArn()))
                    .build());
        }
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("RunFileObjects")
                .actions(objectActions)
                .resources(List.of(bucket.arnForObjects("*")))
                .build());
    }

    /**
     * Converse, which LangChain4j's Bedrock model calls, is authorised as bedrock:InvokeModel (IAM has no Converse
     * action); no streaming, so no InvokeModelWithResponseStream. Scoped to the configured model, or to every
     * foundation model of the stack's region when the app's default model is used (DeploySettings refuses
     * cross-region inference profiles, which this grant would not cover).
     */
    private void grantModelInvocation(Function worker) {
        worker.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("InvokeBedrockModel")
                .actions(List.of("bedrock:InvokeModel"))
                .resources(List.of(bedrockModelArn()))
                .build());
    }

    String bedrockModelArn() {
        String model = settings.modelName();
        if (model != null && model.startsWith("arn:")) {
            return model;
        }
        return formatArn(ArnComponents.builder()
                .service("bedrock")
                .account("")
                .resource("foundation-model")
                .resourceName(model == null ? "*" : model)
                .build());
    }

    /**
     * SESv2 SendEmail on the sender's identities (the address, and its domain when the domain is what was verified),
     * and only with that From address.
     */
    private void grantSendEmail(Function worker) {
        String address = settings.emailFromAddress();
        List<String> identities = settings.emailFromDomain() == null ? List.of(address)
                : List.of(address, settings.emailFromDomain());
        worker.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("SendOutputEmail")
                .actions(List.of("ses:SendEmail"))
                .resources(identities.stream().map(this::sesIdentityArn).toList())
                .conditions(Map.of("StringEquals", Map.of("ses:FromAddress", address)))
                .build());
    }

    private String sesIdentityArn(String identity) {
        return formatArn(ArnComponents.builder()
                .service("ses")
                .resource("identity")
                .resourceName(identity)
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
