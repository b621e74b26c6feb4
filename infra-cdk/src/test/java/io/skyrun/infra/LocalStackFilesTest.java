package io.skyrun.infra;

import static io.skyrun.infra.SkyrunStack.API_HANDLER;
import static io.skyrun.infra.SkyrunStack.API_MEMORY_MB;
import static io.skyrun.infra.SkyrunStack.API_TIMEOUT_SECONDS;
import static io.skyrun.infra.SkyrunStack.DLQ_RETENTION_DAYS;
import static io.skyrun.infra.SkyrunStack.GOALS_API;
import static io.skyrun.infra.SkyrunStack.JAVA_TOOL_OPTIONS;
import static io.skyrun.infra.SkyrunStack.MAX_RECEIVE_COUNT;
import static io.skyrun.infra.SkyrunStack.RULE_PREFIX;
import static io.skyrun.infra.SkyrunStack.RUNS_API;
import static io.skyrun.infra.SkyrunStack.RUN_QUEUE_VISIBILITY_MINUTES;
import static io.skyrun.infra.SkyrunStack.RUN_WORKER;
import static io.skyrun.infra.SkyrunStack.SCHEDULE_TRIGGER;
import static io.skyrun.infra.SkyrunStack.TRIGGER_HANDLER;
import static io.skyrun.infra.SkyrunStack.TRIGGER_MEMORY_MB;
import static io.skyrun.infra.SkyrunStack.TRIGGER_TIMEOUT_SECONDS;
import static io.skyrun.infra.SkyrunStack.WORKER_BATCH_SIZE;
import static io.skyrun.infra.SkyrunStack.WORKER_HANDLER;
import static io.skyrun.infra.SkyrunStack.WORKER_MEMORY_MB;
import static io.skyrun.infra.SkyrunStack.WORKER_TIMEOUT_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code localstack/} (compose file, init script, SAM template, sample events) in step with the code and
 * with {@link SkyrunStack}, by reading the files and the sources they mirror: nothing is synthesized or started.
 */
class LocalStackFilesTest {

    private static final List<String> FUNCTIONS = List.of(GOALS_API, RUNS_API, RUN_WORKER, SCHEDULE_TRIGGER);
    private static final List<String> API_FUNCTIONS = List.of(GOALS_API, RUNS_API);
    private static final String PROXY_HANDLER_ARTIFACT = "micronaut-function-aws-api-proxy";
    private static final List<String> API_EVENTS =
            List.of("goals-create.json", "goals-list.json", "runs-list.json", "health.json");
    private static final List<String> SAMPLE_EVENTS = Stream.concat(API_EVENTS.stream(),
            Stream.of("sqs-run.json", "schedule-fire.json")).toList();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Path localstack;
    private static String script;
    private static List<String> scriptCommands;
    private static Map<String, Object> template;
    private static Map<String, Object> compose;
    private static String stackSource;

    @BeforeAll
    static void readFiles() throws IOException {
        root = repositoryRoot();
        localstack = root.resolve("localstack");
        script = read("localstack/init/ready.d/10-skyrun.sh");
        scriptCommands = logicalLines(script);
        template = map(MiniYaml.parse(read("localstack/template.yaml")));
        compose = map(MiniYaml.parse(read("localstack/docker-compose.yml")));
        stackSource = read("infra-cdk/src/main/java/io/skyrun/infra/SkyrunStack.java");
    }

    // ---- handlers ---------------------------------------------------------------------------------------------

    @Test
    void templateAndInitScriptUseTheStackHandlerOfEachFunction() {
        // GIVEN the handler SkyrunStack deploys each function with
        Map<String, String> expected = Map.of(GOALS_API, API_HANDLER, RUNS_API, API_HANDLER,
                RUN_WORKER, WORKER_HANDLER, SCHEDULE_TRIGGER, TRIGGER_HANDLER);

        // WHEN reading the handlers of the SAM template and of the init script
        Map<String, String> sam = new TreeMap<>();
        Map<String, String> init = new TreeMap<>();
        templateFunctions().forEach((name, properties) -> sam.put(name, text(properties.get("Handler"))));
        scriptFunctions().forEach((name, spec) -> init.put(name, spec.handler()));

        // THEN both name exactly those
        assertThat(sam).isEqualTo(new TreeMap<>(expected));
        assertThat(init).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void everyHandlerClassExistsInItsFunctionModule() throws IOException {
        // GIVEN every (function, handler) pair the template and the init script declare
        Map<String, Set<String>> handlers = new TreeMap<>();
        templateFunctions().forEach((name, properties) ->
                handlers.computeIfAbsent(name, n -> new TreeSet<>()).add(text(properties.get("Handler"))));
        scriptFunctions().forEach((name, spec) ->
                handlers.computeIfAbsent(name, n -> new TreeSet<>()).add(spec.handler()));
        assertThat(handlers.keySet()).containsExactlyInAnyOrderElementsOf(FUNCTIONS);

        for (Map.Entry<String, Set<String>> entry : handlers.entrySet()) {
            Path module = root.resolve("functions").resolve(entry.getKey());
            for (String handler : entry.getValue()) {
                // WHEN the handler names a class (and optionally the method) of that function's module
                String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
                String method = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : null;

                // THEN the Micronaut proxy comes from the module's dependency, anything else from its own sources
                if (className.equals(API_HANDLER)) {
                    assertThat(Files.readString(module.resolve("pom.xml")))
                            .as("%s declares the dependency that holds %s", module, className)
                            .contains("<artifactId>" + PROXY_HANDLER_ARTIFACT + "</artifactId>");
                } else {
                    Path source = module.resolve("src/main/java").resolve(className.replace('.', '/') + ".java");
                    assertThat(source).as("source of handler %s", handler).isRegularFile();
                    if (method != null) {
                        // MicronautRequestHandler implements handleRequest; a plain class must declare it.
                        assertThat(Files.readString(source))
                                .as("%s has %s", className, method)
                                .containsAnyOf("extends MicronautRequestHandler", " " + method + "(");
                    }
                }
            }
        }
    }

    @Test
    void memoryAndTimeoutMatchTheStack() {
        // GIVEN SkyrunStack's sizes, with the worker's timeout in seconds as Lambda takes it
        Map<String, List<Integer>> expected = new TreeMap<>(Map.of(
                GOALS_API, List.of(API_MEMORY_MB, API_TIMEOUT_SECONDS),
                RUNS_API, List.of(API_MEMORY_MB, API_TIMEOUT_SECONDS),
                RUN_WORKER, List.of(WORKER_MEMORY_MB, WORKER_TIMEOUT_MINUTES * 60),
                SCHEDULE_TRIGGER, List.of(TRIGGER_MEMORY_MB, TRIGGER_TIMEOUT_SECONDS)));

        // WHEN reading MemorySize/Timeout of the template and the init script's function table
        Map<String, List<Integer>> sam = new TreeMap<>();
        templateFunctions().forEach((name, p) -> sam.put(name,
                List.of(Integer.parseInt(text(p.get("MemorySize"))), Integer.parseInt(text(p.get("Timeout"))))));
        Map<String, List<Integer>> init = new TreeMap<>();
        scriptFunctions().forEach((name, spec) -> init.put(name, List.of(spec.memoryMb(), spec.timeoutSeconds())));

        // THEN they are the same
        assertThat(sam).isEqualTo(expected);
        assertThat(init).isEqualTo(expected);
    }

    @Test
    void everyFunctionRunsOnTheStacksJavaRuntime() {
        // GIVEN the runtime SkyrunStack uses
        assertThat(stackSource).contains(".runtime(Runtime.JAVA_21)");

        // WHEN reading the runtime of the template's functions and of the init script's create/update calls
        Object samRuntime = map(map(template.get("Globals")).get("Function")).get("Runtime");
        List<String> runtimes = scriptCommands.stream()
                .filter(c -> c.contains("lambda create-function") || c.contains("lambda update-function-configuration"))
                .map(c -> group(c, "--runtime (\\S+)"))
                .toList();

        // THEN all are java21
        assertThat(samRuntime).isEqualTo("java21");
        templateFunctions().values().forEach(p -> assertThat(p.get("Runtime")).isIn(null, "java21"));
        assertThat(runtimes).hasSize(2).containsOnly("java21");
    }

    // ---- environment -----------------------------------------------------------------------------------------

    @Test
    void everySkyrunVariableSetIsOneTheCodeReads() throws IOException {
        // GIVEN the SKYRUN_* variables the code reads (application.yml, and LogConfigurator for the log level)
        Set<String> read = new TreeSet<>(all(read("shared/src/main/resources/application.yml"),
                "\\$\\{(SKYRUN_[A-Z0-9_]+)"));
        read.addAll(all(read("shared/src/main/java/io/skyrun/logging/LogConfigurator.java"),
                "LEVEL_VARIABLE = \"(SKYRUN_[A-Z0-9_]+)\""));
        assertThat(read).contains("SKYRUN_TABLE", "SKYRUN_QUEUE_URL", "SKYRUN_SCHEDULE_TARGET_ARN", "SKYRUN_LOG_LEVEL");
        // plus the skyrun.aws.* settings (AwsConfig), which Micronaut binds from SKYRUN_AWS_<NAME> variables
        Set<String> awsSettings = awsConfigVariables();
        assertThat(awsSettings).contains("SKYRUN_AWS_S3_ENDPOINT", "SKYRUN_AWS_DYNAMODB_ENDPOINT");
        read.addAll(awsSettings);

        // WHEN collecting every SKYRUN_* name the template sets and the init script mentions
        Set<String> inTemplate = new TreeSet<>();
        inTemplate.addAll(globalEnvironment().keySet());
        templateFunctions().values().forEach(p -> inTemplate.addAll(environmentOf(p).keySet()));
        inTemplate.removeIf(name -> !name.startsWith("SKYRUN_"));
        Set<String> inScript = new TreeSet<>(all(script, "\\b(SKYRUN_[A-Z0-9_]+)"));
        Set<String> inCompose = new TreeSet<>(composeEnvironment().keySet());
        inCompose.removeIf(name -> !name.startsWith("SKYRUN_"));

        // THEN none of them is a name the code would ignore
        assertThat(inTemplate).isNotEmpty().isSubsetOf(read);
        assertThat(inScript).isNotEmpty().isSubsetOf(read);
        assertThat(inCompose).isNotEmpty().isSubsetOf(read);
    }

    @Test
    void awsConfigVariablesAreDerivedFromTheRecord() {
        // GIVEN / WHEN the names derived from AwsConfig's components
        Set<String> names = awsConfigVariables();

        // THEN camelCase components map to SKYRUN_AWS_ plus upper snake case, as Micronaut binds them
        assertThat(names).contains("SKYRUN_AWS_REGION", "SKYRUN_AWS_S3_ENDPOINT", "SKYRUN_AWS_CONNECT_TIMEOUT")
                .doesNotContain("SKYRUN_AWS_S3ENDPOINT");
    }

    @Test
    void everyFunctionGetsTheVariablesTheStackGivesIt() {
        // GIVEN the SKYRUN_* names SkyrunStack puts in each of its environment maps, and who gets which map
        Map<String, Set<String>> namesByMap = stackEnvironmentNames();
        assertThat(namesByMap.get("env")).contains("SKYRUN_STORAGE", "SKYRUN_QUEUE_URL", "SKYRUN_SCHEDULE_DLQ_ARN",
                "SKYRUN_FILES", "SKYRUN_FILES_BUCKET");
        assertThat(namesByMap.get("apiEnvironment")).containsExactly("SKYRUN_SCHEDULE_TARGET_ARN");
        assertThat(namesByMap.get("appEnv")).contains("SKYRUN_MODEL_PROVIDER", "SKYRUN_EMAIL", "SKYRUN_EMAIL_FROM",
                "SKYRUN_EMAIL_ALLOWED_RECIPIENTS", "SKYRUN_SMTP_HOST");
        assertThat(namesByMap.get("goalsEnv")).containsExactly("SKYRUN_MODEL_API_KEY");
        assertThat(namesByMap.get("workerEnv")).contains("SKYRUN_MODEL_API_KEY", "SKYRUN_SMTP_PASSWORD",
                "SKYRUN_SEARCH_PROVIDER", "SKYRUN_SEARCH_API_KEY", "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");

        for (String function : FUNCTIONS) {
            Set<String> required = stackVariablesOf(function, namesByMap);

            // WHEN reading the function's effective environment in the template and in the init script
            Set<String> sam = templateEnvironment(function).keySet();
            Set<String> init = scriptEnvironment(function).keySet();

            // THEN each has all of them
            assertThat(sam).as("template environment of %s", function).containsAll(required);
            assertThat(init).as("init script environment of %s", function).containsAll(required);
        }
    }

    @Test
    void noFunctionGetsAVariableTheStackKeepsFromIt() {
        // GIVEN every SKYRUN_* name the stack sets, and the functions it sets each one on
        Map<String, Set<String>> namesByMap = stackEnvironmentNames();
        Set<String> stackNames = new TreeSet<>();
        namesByMap.values().forEach(stackNames::addAll);

        for (String function : FUNCTIONS) {
            Set<String> allowed = stackVariablesOf(function, namesByMap);

            // WHEN reading the stack's names in the function's template and init script environment
            Set<String> sam = new TreeSet<>(templateEnvironment(function).keySet());
            Set<String> init = new TreeSet<>(scriptEnvironment(function).keySet());
            sam.retainAll(stackNames);
            init.retainAll(stackNames);

            // THEN none goes where the stack does not put it: keys, passwords and tool settings stay where they are used
            assertThat(sam).as("template environment of %s", function).isSubsetOf(allowed);
            assertThat(init).as("init script environment of %s", function).isSubsetOf(allowed);
        }
        assertThat(stackVariablesOf(RUNS_API, namesByMap)).doesNotContain("SKYRUN_MODEL_API_KEY");
        assertThat(stackVariablesOf(SCHEDULE_TRIGGER, namesByMap)).doesNotContain("SKYRUN_MODEL_PROVIDER");
    }

    @Test
    void modelMailAndToolsDefaultToOfflineAndOff() {
        // GIVEN the defaults of the compose file, the init script and the template parameters
        Map<String, String> composed = composeEnvironment();
        Map<String, Object> parameters = map(template.get("Parameters"));
        Map<String, String> expected = Map.of("SKYRUN_MODEL_PROVIDER", "offline", "SKYRUN_EMAIL", "none",
                "SKYRUN_EMAIL_ALLOWED_RECIPIENTS", "", "SKYRUN_SEARCH_PROVIDER", "none", "SKYRUN_MODEL_API_KEY", "",
                "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS", "");

        expected.forEach((name, value) -> {
            // WHEN following each variable to its default
            String init = group(scriptEnvironment(RUN_WORKER).get(name), "^\\$\\{" + name + ":-([^}]*)\\}$");
            String parameter = group(templateEnvironment(RUN_WORKER).get(name), "^!Ref (\\w+)$");
            String sam = text(map(parameters.get(parameter)).get("Default"));

            // THEN a LocalStack started without settings runs the offline model, sends no mail and searches nothing
            assertThat(composeDefault(composed.get(name))).as("compose %s", name).isEqualTo(value);
            assertThat(init).as("init script %s", name).isEqualTo(value);
            assertThat(sam).as("template %s", name).isEqualTo(value);
        });
    }

    @Test
    void keyAndPasswordParametersAreNoEcho() {
        // GIVEN the template parameters behind the secret variables of the worker
        Map<String, Object> parameters = map(template.get("Parameters"));
        for (String name : List.of("SKYRUN_MODEL_API_KEY", "SKYRUN_SMTP_PASSWORD", "SKYRUN_SEARCH_API_KEY")) {
            // WHEN reading the parameter each one refers to
            String parameter = group(templateEnvironment(RUN_WORKER).get(name), "^!Ref (\\w+)$");

            // THEN SAM and CloudFormation do not print it
            assertThat(map(parameters.get(parameter)).get("NoEcho")).as(parameter).isEqualTo("true");
        }
    }

    @Test
    void fixedSettingsHaveTheStackValues() {
        // GIVEN the literal values SkyrunStack sets, its rule prefix and its JVM flags
        Map<String, String> expected = new TreeMap<>(pairs(stackSource, "\\benv\\.put\\(\"(SKYRUN_\\w+)\",\\s*\"([^\"]*)\"\\)"));
        assertThat(expected).containsKeys("SKYRUN_STORAGE", "SKYRUN_QUEUE", "SKYRUN_SCHEDULER", "SKYRUN_EVENT_BUS");
        expected.put("SKYRUN_RULE_PREFIX", RULE_PREFIX);
        expected.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);

        for (String function : FUNCTIONS) {
            // WHEN reading those variables of each function, with the init script's shell variables expanded
            Map<String, String> sam = templateEnvironment(function);
            Map<String, String> init = new TreeMap<>();
            scriptEnvironment(function).forEach((name, value) -> init.put(name, expand(value)));

            // THEN they carry the stack's values
            expected.forEach((name, value) -> {
                assertThat(sam).as("template, %s", function).containsEntry(name, value);
                assertThat(init).as("init script, %s", function).containsEntry(name, value);
            });
        }
    }

    @Test
    void functionsCallLocalStackThroughAwsEndpointUrl() {
        // GIVEN the SAM parameter and the init script variable that hold LocalStack's address
        String samEndpoint = text(map(map(template.get("Parameters")).get("Endpoint")).get("Default"));
        String initEndpoint = group(script, "(?m)^ENDPOINT=\"([^\"]+)\"");

        for (String function : FUNCTIONS) {
            // WHEN reading AWS_ENDPOINT_URL, which the AWS SDK itself reads
            String sam = templateEnvironment(function).get("AWS_ENDPOINT_URL");
            String init = expand(scriptEnvironment(function).get("AWS_ENDPOINT_URL"));

            // THEN SAM's containers reach LocalStack through the host, LocalStack's own through its DNS name
            assertThat(sam).as(function).isEqualTo("!Ref Endpoint");
            assertThat(init).as(function).isEqualTo("http://localhost.localstack.cloud:4566");
        }
        assertThat(samEndpoint).isEqualTo("http://host.docker.internal:4566");
        assertThat(initEndpoint).isEqualTo("http://localhost.localstack.cloud:4566");
    }

    @Test
    void samFunctionsCreateTheTableWhenItIsMissing() {
        // GIVEN SAM runs the functions against a LocalStack that may not have run the init script
        for (String function : FUNCTIONS) {
            // WHEN reading SKYRUN_CREATE_TABLE of each function
            String createTable = templateEnvironment(function).get("SKYRUN_CREATE_TABLE");

            // THEN DynamoTable creates the table at start
            assertThat(createTable).as(function).isEqualTo("true");
        }
    }

    @Test
    void initScriptWiresFunctionsToTheQueuesItCreates() {
        // GIVEN the queues the init script creates, by the shell variable that holds each one's URL and ARN
        Map<String, String> queueOfVariable = queueVariables();

        for (String function : FUNCTIONS) {
            Map<String, String> env = scriptEnvironment(function);

            // WHEN following the queue variables the function's environment refers to
            String runQueue = queueOfVariable.get(group(env.get("SKYRUN_QUEUE_URL"), "^\\$\\{(\\w+)\\}$"));
            String scheduleDlq = queueOfVariable.get(group(env.get("SKYRUN_SCHEDULE_DLQ_ARN"), "^\\$\\{(\\w+)\\}$"));

            // THEN runs go to the run queue and undeliverable fires to the schedule DLQ
            assertThat(runQueue).as(function).isEqualTo("skyrun-run-queue");
            assertThat(scheduleDlq).as(function).isEqualTo("skyrun-schedule-dlq");
        }
    }

    @Test
    void templateParameterDefaultsNameTheResourcesTheInitScriptCreates() {
        // GIVEN the queues and functions the init script creates
        Set<String> queues = new TreeSet<>(queueVariables().values());
        Set<String> functions = scriptFunctions().keySet();
        Map<String, Object> parameters = map(template.get("Parameters"));

        // WHEN reading the defaults of the template's parameters
        String queueUrl = text(map(parameters.get("QueueUrl")).get("Default"));
        String runQueueArn = text(map(parameters.get("RunQueueArn")).get("Default"));
        String scheduleDlqArn = text(map(parameters.get("ScheduleDlqArn")).get("Default"));
        String targetArn = text(map(parameters.get("ScheduleTargetArn")).get("Default"));

        // THEN they point at those resources in LocalStack's default account and region
        assertThat(queues).contains("skyrun-run-queue", "skyrun-run-dlq", "skyrun-schedule-dlq");
        assertThat(queueUrl).isEqualTo("http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/skyrun-run-queue");
        assertThat(runQueueArn).isEqualTo("arn:aws:sqs:us-east-1:000000000000:skyrun-run-queue");
        assertThat(scheduleDlqArn).isEqualTo("arn:aws:sqs:us-east-1:000000000000:skyrun-schedule-dlq");
        assertThat(targetArn).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:" + SCHEDULE_TRIGGER);
        assertThat(functions).contains(SCHEDULE_TRIGGER);
        assertThat(group(scriptEnvironment(GOALS_API).get("SKYRUN_SCHEDULE_TARGET_ARN"), "function_arn ([\\w-]+)"))
                .isEqualTo(SCHEDULE_TRIGGER);
    }

    // ---- files bucket ------------------------------------------------------------------------------------------

    @Test
    void initScriptCreatesTheBucketOfTheStackUnderItsLocalName() {
        // GIVEN the stack's bucket construct, which the local setup names skyrun-<id>
        String expected = "skyrun-" + SkyrunStack.FILES_BUCKET;

        // WHEN reading the init script's bucket and the command that creates it
        String bucket = group(script, "(?m)^FILES_BUCKET=\"([^\"]+)\"$");

        // THEN it is created private, under that name
        assertThat(bucket).isEqualTo(expected);
        assertThat(scriptCommands).anyMatch(c -> c.contains("s3api create-bucket --bucket \"$FILES_BUCKET\""));
        assertThat(command("s3api put-public-access-block")).contains("--bucket \"$FILES_BUCKET\"")
                .contains("BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
        assertThat(stackSource).contains(".blockPublicAccess(BlockPublicAccess.BLOCK_ALL)");
    }

    @Test
    void everyFunctionWritesFilesToThatBucket() {
        // GIVEN the bucket the init script creates and the template's default
        String templateDefault = text(map(map(template.get("Parameters")).get("FilesBucket")).get("Default"));

        for (String function : FUNCTIONS) {
            // WHEN reading the file settings of each function
            Map<String, String> sam = templateEnvironment(function);
            Map<String, String> init = scriptEnvironment(function);

            // THEN files go to S3, into that bucket
            assertThat(sam).as(function).containsEntry("SKYRUN_FILES", "s3").containsEntry("SKYRUN_FILES_BUCKET", "!Ref FilesBucket");
            assertThat(expand(init.get("SKYRUN_FILES_BUCKET"))).as(function).isEqualTo("skyrun-" + SkyrunStack.FILES_BUCKET);
        }
        assertThat(templateDefault).isEqualTo("skyrun-" + SkyrunStack.FILES_BUCKET);
    }

    @Test
    void functionsReachLocalStackS3PathStyle() {
        for (String function : FUNCTIONS) {
            // WHEN reading skyrun.aws.s3-endpoint, which also turns on path-style requests
            String sam = templateEnvironment(function).get("SKYRUN_AWS_S3_ENDPOINT");
            String init = scriptEnvironment(function).get("SKYRUN_AWS_S3_ENDPOINT");

            // THEN it is LocalStack's endpoint, so bucket names never have to resolve as host names
            assertThat(sam).as(function).isEqualTo(templateEnvironment(function).get("AWS_ENDPOINT_URL"));
            assertThat(init).as(function).isEqualTo(scriptEnvironment(function).get("AWS_ENDPOINT_URL"));
        }
    }

    // ---- jars --------------------------------------------------------------------------------------------------

    @Test
    void codeUrisPointAtTheShadedJarOfEachModule() throws IOException {
        for (Map.Entry<String, Map<String, Object>> function : templateFunctions().entrySet()) {
            String name = function.getKey();

            // WHEN resolving the CodeUri from localstack/, where the template lives
            Path jar = localstack.resolve(text(function.getValue().get("CodeUri"))).normalize();

            // THEN it is functions/<name>/target/<name>.jar, which the module's shade execution names
            assertThat(root.relativize(jar).toString().replace('\\', '/'))
                    .isEqualTo("functions/" + name + "/target/" + name + ".jar");
            String pom = Files.readString(root.resolve("functions").resolve(name).resolve("pom.xml"));
            assertThat(pom).as("shade finalName of %s", name).contains("<finalName>${function.jar}</finalName>")
                    .contains("<function.jar>" + name + "</function.jar>");
        }
        assertThat(templateFunctions().keySet()).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
    }

    @Test
    void initScriptUploadsTheJarsComposeMounts() {
        // GIVEN where docker-compose mounts the repository's functions/ folder
        String mount = composeVolumes().stream()
                .filter(v -> v.startsWith("../functions:"))
                .map(v -> v.split(":")[1])
                .findFirst().orElseThrow();

        // WHEN reading where the init script looks for the jars
        String jarRoot = group(script, "(?m)^JAR_ROOT=\"\\$\\{JAR_ROOT:-([^}]+)\\}\"");

        // THEN it is that folder, with the module layout of the build
        assertThat(jarRoot).isEqualTo(mount);
        assertThat(script).contains("\"${JAR_ROOT}/${name}/target/${name}.jar\"");
        assertThat(scriptCommands).anyMatch(c -> c.contains("lambda create-function")
                && c.contains("--zip-file \"fileb://${jar}\""));
    }

    // ---- table -------------------------------------------------------------------------------------------------

    @Test
    void tableKeySchemaIsThePrimaryKeyOfItem() throws IOException {
        // GIVEN Item's primary key and the stack's table key
        Map<String, String> item = itemKeys("primary(Partition|Sort)Key\\(\\)");
        String stackPartition = group(stackSource, "\\.partitionKey\\(stringKey\\(\"(\\w+)\"\\)\\)");
        String stackSort = group(stackSource, "\\.sortKey\\(stringKey\\(\"(\\w+)\"\\)\\)");

        // WHEN reading the init script's key schema
        Matcher key = matcher(createTable(), "--key-schema AttributeName=(\\w+),KeyType=HASH AttributeName=(\\w+),KeyType=RANGE");

        // THEN all three agree
        assertThat(item).isEqualTo(Map.of("Partition", "PK", "Sort", "SK"));
        assertThat(List.of(stackPartition, stackSort)).containsExactly(item.get("Partition"), item.get("Sort"));
        assertThat(List.of(key.group(1), key.group(2))).containsExactly(item.get("Partition"), item.get("Sort"));
    }

    @Test
    void tableIndexesAreTheGsisOfItemAndTheStack() throws IOException {
        // GIVEN the secondary keys Item tags per index, and the indexes the stack builds in its loop
        Map<String, List<String>> itemIndexes = new TreeMap<>();
        String itemSource = read("shared/src/main/java/io/skyrun/storage/dynamo/Item.java");
        Map<String, String> indexNames = pairs(itemSource, "static final String (GSI\\d+) = \"(\\w+)\"");
        Map<String, String> attributeNames = itemAttributeNames(itemSource);
        Matcher m = Pattern.compile("case (\\w+) -> new StaticAttributeTag\\[\\] \\{secondary(Partition|Sort)Key\\((\\w+)\\)\\}")
                .matcher(itemSource);
        while (m.find()) {
            List<String> keys = itemIndexes.computeIfAbsent(indexNames.get(m.group(3)), k -> new ArrayList<>(List.of("", "")));
            keys.set(m.group(2).equals("Partition") ? 0 : 1, attributeNames.get(m.group(1)));
        }
        List<String> stackIndexes = all(group(stackSource, "for \\(String index : List\\.of\\(([^)]*)\\)\\)"), "\"(\\w+)\"");
        List<String> stackSuffixes = all(stackSource, "stringKey\\(index \\+ \"(\\w+)\"\\)");
        String stackProjection = group(stackSource, "\\.projectionType\\(ProjectionType\\.(\\w+)\\)");

        // WHEN reading the init script's global secondary indexes
        Map<String, List<String>> scriptIndexes = new TreeMap<>();
        Set<String> projections = new TreeSet<>();
        Matcher gsi = Pattern.compile("IndexName=(\\w+),KeySchema=\\[\\{AttributeName=(\\w+),KeyType=HASH\\},"
                + "\\{AttributeName=(\\w+),KeyType=RANGE\\}\\],Projection=\\{ProjectionType=(\\w+)\\}").matcher(createTable());
        while (gsi.find()) {
            scriptIndexes.put(gsi.group(1), List.of(gsi.group(2), gsi.group(3)));
            projections.add(gsi.group(4));
        }

        // THEN they are GSI1..GSI3 on GSInPK/GSInSK, projected like the stack's
        assertThat(itemIndexes).isEqualTo(Map.of(
                "GSI1", List.of("GSI1PK", "GSI1SK"),
                "GSI2", List.of("GSI2PK", "GSI2SK"),
                "GSI3", List.of("GSI3PK", "GSI3SK")));
        assertThat(scriptIndexes).isEqualTo(itemIndexes);
        assertThat(stackIndexes).containsExactlyElementsOf(itemIndexes.keySet());
        assertThat(stackSuffixes).containsExactly("PK", "SK");
        assertThat(projections).containsExactly(stackProjection);
    }

    @Test
    void everyKeyAttributeIsDeclaredAsAString() {
        // GIVEN the attributes the init script's table and indexes key on
        String command = createTable();
        Set<String> keyAttributes = new TreeSet<>(all(command, "AttributeName=(\\w+),KeyType="));

        // WHEN reading its attribute definitions
        Map<String, String> definitions = pairs(command, "AttributeName=(\\w+),AttributeType=(\\w+)");

        // THEN exactly those are declared (DynamoDB refuses extra ones), all strings as in the stack and Item
        assertThat(definitions.keySet()).isEqualTo(keyAttributes);
        assertThat(new TreeSet<>(definitions.values())).containsExactly("S");
        assertThat(stackSource).contains("AttributeType.STRING").doesNotContain("AttributeType.NUMBER");
    }

    @Test
    void tableIsOnDemandLikeTheStack() {
        // GIVEN the stack's billing mode
        String stack = group(stackSource, "\\.billingMode\\(BillingMode\\.(\\w+)\\)");

        // WHEN reading the init script's
        String init = group(createTable(), "--billing-mode (\\S+)");

        // THEN both are on demand
        assertThat(init).isEqualTo(stack).isEqualTo("PAY_PER_REQUEST");
    }

    @Test
    void ttlIsOnTheAttributeTheCodeExpires() throws IOException {
        // GIVEN the TTL attribute of the stack and of DynamoTable's own table creation, and Item's numbers
        String stack = group(stackSource, "\\.timeToLiveAttribute\\(\"(\\w+)\"\\)");
        String code = group(read("shared/src/main/java/io/skyrun/storage/dynamo/DynamoTable.java"),
                "TimeToLiveSpecification\\.builder\\(\\)\\.attributeName\\(\"(\\w+)\"\\)");
        List<String> numbers = all(read("shared/src/main/java/io/skyrun/storage/dynamo/Item.java"),
                "\\w+\\(\"(\\w+)\", Long\\.class\\)");

        // WHEN reading the init script's TTL specification
        String init = group(command("dynamodb update-time-to-live"), "--time-to-live-specification Enabled=true,AttributeName=(\\w+)");

        // THEN all name expiresAt, a number attribute of Item
        assertThat(init).isEqualTo(stack).isEqualTo(code).isEqualTo("expiresAt");
        assertThat(numbers).contains(init);
    }

    @Test
    void tableNameDefaultsAgreeWithTheCode() throws IOException {
        // GIVEN the default table name of application.yml
        String code = group(read("shared/src/main/resources/application.yml"), "\\$\\{SKYRUN_TABLE:(\\w+)\\}");

        // WHEN reading the defaults of the init script, the compose file and the template
        String init = group(script, "(?m)^TABLE=\"\\$\\{SKYRUN_TABLE:-(\\w+)\\}\"");
        String composed = composeDefault(composeEnvironment().get("SKYRUN_TABLE"));
        String sam = text(map(map(template.get("Parameters")).get("TableName")).get("Default"));

        // THEN all are the same table, and the script creates the table under that variable
        assertThat(List.of(init, composed, sam)).containsOnly(code);
        assertThat(createTable()).contains("--table-name \"$TABLE\"");
    }

    // ---- queues ------------------------------------------------------------------------------------------------

    @Test
    void runQueueVisibilityTimeoutIsTheStacks() {
        // GIVEN the stack's visibility timeout (six worker timeouts)
        int expected = RUN_QUEUE_VISIBILITY_MINUTES * 60;

        // WHEN reading the init script's run queue attributes
        String visibility = group(command("sqs create-queue --queue-name skyrun-run-queue"), "VisibilityTimeout=(\\d+)");

        // THEN a run is not redelivered while a worker may still hold it
        assertThat(Integer.parseInt(visibility)).isEqualTo(expected).isEqualTo(WORKER_TIMEOUT_MINUTES * 60 * 6);
    }

    @Test
    void runQueueRedrivesToItsDlqAfterTheStacksReceiveCount() {
        // GIVEN the run queue as the init script creates it
        String command = command("sqs create-queue --queue-name skyrun-run-queue");

        // WHEN reading its redrive policy
        String maxReceiveCount = group(command, "maxReceiveCount\\\\\"\\s*:\\s*\\\\\"(\\d+)");
        String target = group(command, "deadLetterTargetArn\\\\\"\\s*:\\s*\\\\\"\\$\\{(\\w+)\\}");

        // THEN messages move to the run DLQ after the stack's number of receives
        assertThat(Integer.parseInt(maxReceiveCount)).isEqualTo(MAX_RECEIVE_COUNT);
        assertThat(queueVariables().get(target)).isEqualTo("skyrun-run-dlq");
    }

    @Test
    void workerGivesUpOnTheReceiveTheQueueRedrivesAfter() throws IOException {
        // GIVEN the worker's default receive limit, after which it marks the run failed
        String sqsConfig = read("shared/src/main/java/io/skyrun/queue/sqs/SqsConfig.java");

        // WHEN reading it
        String maxReceives = group(sqsConfig, "defaultValue = \"(\\d+)\"\\) int maxReceives");

        // THEN it is the redrive count of the stack and the init script, so the run fails before SQS drops it
        assertThat(Integer.parseInt(maxReceives)).isEqualTo(MAX_RECEIVE_COUNT);
    }

    @Test
    void deadLetterQueuesKeepMessagesAsLongAsTheStack() {
        // GIVEN the stack's DLQ retention in seconds
        int expected = DLQ_RETENTION_DAYS * 24 * 60 * 60;

        for (String dlq : List.of("skyrun-run-dlq", "skyrun-schedule-dlq")) {
            // WHEN reading each DLQ's retention in the init script
            String retention = group(command("sqs create-queue --queue-name " + dlq), "MessageRetentionPeriod=(\\d+)");

            // THEN dead letters stay 14 days
            assertThat(Integer.parseInt(retention)).as(dlq).isEqualTo(expected);
        }
    }

    @Test
    void workerReadsTheRunQueueInPartialFailureBatches() {
        // GIVEN the init script's event source mapping and the template's SQS event
        String mapping = command("lambda create-event-source-mapping");
        Map<String, Object> samEvent = map(map(map(templateFunctions().get(RUN_WORKER).get("Events")).get("RunQueue"))
                .get("Properties"));

        // WHEN reading function, queue, batch size and response types

        // THEN the worker gets the stack's batch size and reports failures per message
        assertThat(group(mapping, "--function-name (\\S+)")).isEqualTo(RUN_WORKER);
        assertThat(queueVariables().get(group(mapping, "--event-source-arn \"\\$(\\w+)\""))).isEqualTo("skyrun-run-queue");
        assertThat(Integer.parseInt(group(mapping, "--batch-size (\\d+)"))).isEqualTo(WORKER_BATCH_SIZE);
        assertThat(group(mapping, "--function-response-types (\\S+)")).isEqualTo("ReportBatchItemFailures");
        assertThat(stackSource).contains(".reportBatchItemFailures(true)");
        assertThat(Integer.parseInt(text(samEvent.get("BatchSize")))).isEqualTo(WORKER_BATCH_SIZE);
        assertThat(samEvent.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(samEvent.get("Queue")).isEqualTo("!Ref RunQueueArn");
    }

    // ---- schedules and routes -----------------------------------------------------------------------------------

    @Test
    void rulesUnderTheStackPrefixMayInvokeTheTrigger() {
        // GIVEN the init script's permission on the trigger
        String permission = scriptCommands.stream()
                .filter(c -> c.contains("lambda add-permission --function-name " + SCHEDULE_TRIGGER))
                .findFirst().orElseThrow();

        // WHEN reading principal and source
        String principal = group(permission, "--principal (\\S+)");
        String source = group(permission, "--source-arn \"([^\"]+)\"");

        // THEN EventBridge may invoke it from every rule named with the stack's prefix, and only those
        assertThat(principal).isEqualTo("events.amazonaws.com");
        assertThat(source).endsWith(":rule/${RULE_PREFIX}*");
        assertThat(group(script, "(?m)^RULE_PREFIX=\"([^\"]*)\"")).isEqualTo(RULE_PREFIX);
    }

    @Test
    void samRoutesAreTheStackRoutes() {
        // GIVEN the routes SkyrunStack puts on the HTTP API
        Set<String> expected = stackRoutes();

        // WHEN collecting the HttpApi events of the template's functions
        Set<String> sam = new TreeSet<>();
        templateFunctions().forEach((name, p) -> {
            Object events = p.get("Events");
            if (events != null) {
                map(events).values().stream().map(LocalStackFilesTest::map)
                        .filter(e -> "HttpApi".equals(e.get("Type")))
                        .map(e -> map(e.get("Properties")))
                        .forEach(e -> sam.add(name + " " + e.get("Method") + " " + e.get("Path")));
            }
        });

        // THEN each path reaches the same function with the same method
        assertThat(sam).isEqualTo(expected);
    }

    @Test
    void initScriptRoutesAreTheStackRoutes() {
        // GIVEN the routes SkyrunStack puts on the HTTP API
        Set<String> expected = stackRoutes();

        // WHEN collecting the init script's routes, following each integration variable to its function
        Map<String, String> integrations = pairs(script, "(?m)^\\s*(\\w+)=\"\\$\\(api_integration ([\\w-]+)\\)\"");
        Set<String> init = new TreeSet<>();
        Matcher route = Pattern.compile("(?m)^\\s*api_route '(\\w+) ([^']+)' \"\\$(\\w+)\"").matcher(script);
        while (route.find()) {
            init.add(integrations.get(route.group(3)) + " " + route.group(1) + " " + route.group(2));
        }

        // THEN they are the same
        assertThat(init).isEqualTo(expected);
        assertThat(command("apigatewayv2 create-integration")).contains("--payload-format-version 2.0");
    }

    // ---- sample events ------------------------------------------------------------------------------------------

    @Test
    void everySampleEventIsJson() throws IOException {
        // GIVEN the files in localstack/events
        List<Path> files;
        try (Stream<Path> list = Files.list(localstack.resolve("events"))) {
            files = list.sorted().toList();
        }

        // WHEN parsing each one
        for (Path file : files) {
            JsonNode json = JSON.readTree(file.toFile());

            // THEN it is a JSON object
            assertThat(json.isObject()).as(file.toString()).isTrue();
        }
        assertThat(files.stream().map(f -> f.getFileName().toString())).containsAll(SAMPLE_EVENTS);
    }

    @Test
    void apiEventsArePayload2EventsForARouteOfTheApi() throws IOException {
        // GIVEN the API's routes (the stack's, which the template repeats) as API Gateway writes route keys
        Set<String> routeKeys = new TreeSet<>();
        stackRoutes().forEach(r -> routeKeys.add(r.substring(r.indexOf(' ') + 1)));

        for (String name : API_EVENTS) {
            // WHEN reading each API sample event
            JsonNode event = event(name);

            // THEN it is an HTTP API payload 2.0 event whose path and method are consistent
            assertThat(event.path("version").asText()).as(name).isEqualTo("2.0");
            assertThat(event.at("/requestContext/http/method").asText()).as(name).isNotBlank();
            assertThat(event.at("/requestContext/http/path").asText()).as(name).isEqualTo(event.path("rawPath").asText());
            assertThat(event.path("routeKey").asText()).as(name).isIn(routeKeys);
            assertThat(event.at("/requestContext/routeKey").asText()).as(name).isEqualTo(event.path("routeKey").asText());
            assertThat(event.path("isBase64Encoded").isBoolean()).as(name).isTrue();
            if (event.has("body")) {
                assertThat(JSON.readTree(event.path("body").asText()).isObject()).as("%s body", name).isTrue();
            }
        }
    }

    @Test
    void sqsEventIsOneRunDeliveryFromTheRunQueue() throws IOException, NoSuchAlgorithmException {
        // GIVEN the SQS sample event
        JsonNode records = event("sqs-run.json").path("Records");

        // WHEN reading its one record
        JsonNode record = records.path(0);
        String body = record.path("body").asText();

        // THEN its body is a run id (what SqsRunQueue sends) and it carries the attributes the worker reads
        assertThat(records.size()).isEqualTo(1);
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(record.path("eventSourceARN").asText()).endsWith(":skyrun-run-queue");
        assertThat(body).matches("run_[0-9a-hjkmnp-tv-z]{26}");
        assertThat(Integer.parseInt(record.at("/attributes/ApproximateReceiveCount").asText())).isPositive();
        assertThat(record.path("messageId").asText()).isNotBlank();
        String md5 = String.format("%032x", new BigInteger(1,
                MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8))));
        assertThat(record.path("md5OfBody").asText()).isEqualTo(md5);
    }

    @Test
    void scheduleFireHasExactlyTheFieldsTheRuleTargetSends() throws IOException {
        // GIVEN the fields EventBridgeScheduler's input transformer sends and ScheduleTriggerHandler requires
        String scheduler = read("shared/src/main/java/io/skyrun/schedule/eventbridge/EventBridgeScheduler.java");
        Set<String> sent = new TreeSet<>(all(scheduler, "input\\.put\\(\"(\\w+)\""));
        sent.addAll(all(scheduler, "\\\\\"(\\w+)\\\\\":<\\w+>"));
        List<String> required = all(read("functions/schedule-trigger/src/main/java/io/skyrun/trigger/ScheduleTriggerHandler.java"),
                "field\\(input, \"(\\w+)\"\\)");

        // WHEN reading the sample fire
        JsonNode fire = event("schedule-fire.json");
        Set<String> fields = new TreeSet<>();
        fire.fieldNames().forEachRemaining(fields::add);

        // THEN it has the transformer's fields, the required ones as text, and a time the handler can parse
        assertThat(sent).contains("ownerId", "time");
        assertThat(fields).isEqualTo(sent);
        assertThat(required).isNotEmpty();
        required.forEach(field -> assertThat(fire.path(field).asText()).as(field).isNotBlank());
        assertThat(Instant.parse(fire.path("time").asText())).isNotNull();
    }

    // ---- compose and script ----------------------------------------------------------------------------------------

    @Test
    void composeRunsLocalStack4OnLoopbackOnly() {
        // GIVEN the compose file's LocalStack service
        Map<String, Object> service = map(map(compose.get("services")).get("localstack"));

        // WHEN reading its image and published ports
        String image = text(service.get("image"));
        Object ports = service.get("ports");

        // THEN it is LocalStack 4 by default, reachable from this machine only
        assertThat(composeDefault(image)).isEqualTo("localstack/localstack:4");
        assertThat(ports).isEqualTo(List.of("127.0.0.1:4566:4566"));
    }

    @Test
    void composeEnablesEveryServiceSkyrunUses() {
        // GIVEN the services the functions call and the ones the init script calls (the HTTP API is optional)
        Set<String> used = new TreeSet<>(Set.of("dynamodb", "sqs", "events", "lambda", "logs", "iam", "sts", "s3", "ses"));
        all(script, "awslocal (\\w+) ").forEach(cli -> used.add(cli.equals("s3api") ? "s3" : cli));
        used.remove("apigatewayv2");

        // WHEN reading SERVICES, outside which LocalStack loads nothing
        Set<String> services = new TreeSet<>(List.of(composeDefault(composeEnvironment().get("SERVICES")).split(",")));

        // THEN all are enabled
        assertThat(services).containsAll(used);
    }

    @Test
    void composeMountsTheInitScriptAndTheDockerSocketForLambda() {
        // GIVEN the compose file's volumes and environment
        List<String> volumes = composeVolumes();
        Map<String, String> environment = composeEnvironment();

        // WHEN looking for the ready hooks and the Docker socket

        // THEN LocalStack runs this folder's hooks when ready and starts Lambda containers through the host's Docker
        assertThat(volumes).contains("./init/ready.d:/etc/localstack/init/ready.d",
                "/var/run/docker.sock:/var/run/docker.sock");
        assertThat(environment).containsEntry("DOCKER_HOST", "unix:///var/run/docker.sock");
        assertThat(localstack.resolve("init/ready.d/10-skyrun.sh")).isRegularFile();
    }

    @Test
    void initScriptIsAnExecutableStrictBashScript() {
        // GIVEN the init script
        Path file = localstack.resolve("init/ready.d/10-skyrun.sh");

        // WHEN LocalStack executes it directly

        // THEN bash runs it, stops at the first failing command, and every AWS call goes to LocalStack
        assertThat(Files.isExecutable(file)).as("executable bit of %s", file).isTrue();
        assertThat(script.lines().findFirst().orElseThrow()).isIn("#!/usr/bin/env bash", "#!/bin/bash");
        assertThat(script).containsPattern("(?m)^set -euo pipefail$");
        assertThat(scriptCommands).noneMatch(c -> c.matches("(?s).*(^|[\\s(\"])aws \\w.*"));
    }

    @Test
    void miniYamlRejectsWhatItCannotRead() {
        // GIVEN YAML the test's reader does not understand
        List<String> unsupported = List.of("a: [1, 2]", "a: {b: 1}", "a: |\n  text", "a: &x 1", "a:\n\tb: 1");

        // WHEN parsing each one

        // THEN it fails loudly instead of returning something wrong
        unsupported.forEach(yaml -> assertThatThrownBy(() -> MiniYaml.parse(yaml)).as(yaml)
                .isInstanceOf(IllegalArgumentException.class));
    }

    // ---- reading the files ----------------------------------------------------------------------------------------

    /** One row of the init script's FUNCTIONS table. */
    private record ScriptFunction(String handler, int memoryMb, int timeoutSeconds, String extraEnvironment) {
    }

    private static Path repositoryRoot() {
        // Maven runs the tests in infra-cdk/; an IDE may start them at the repository root.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra-cdk/pom.xml")) && Files.isDirectory(dir.resolve("localstack"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with infra-cdk/ and localstack/ above " + Path.of("").toAbsolutePath());
    }

    private static String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative));
    }

    private static JsonNode event(String name) throws IOException {
        return JSON.readTree(localstack.resolve("events").resolve(name).toFile());
    }

    /** The script's commands with backslash continuations joined, one per logical line. */
    private static List<String> logicalLines(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                out.add(current.append(trimmed).toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }

    /** The one logical line of the script that contains {@code fragment}. */
    private static String command(String fragment) {
        List<String> found = scriptCommands.stream().filter(c -> c.contains(fragment)).toList();
        assertThat(found).as("commands containing '%s'", fragment).hasSize(1);
        return found.get(0);
    }

    private static String createTable() {
        return command("dynamodb create-table");
    }

    private static Map<String, ScriptFunction> scriptFunctions() {
        Map<String, ScriptFunction> functions = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\"([\\w-]+)\\|([^|\"]+)\\|(\\d+)\\|(\\d+)\\|([\\w ]*)\"\\s*$").matcher(script);
        while (m.find()) {
            functions.put(m.group(1), new ScriptFunction(m.group(2), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), m.group(5)));
        }
        assertThat(functions.keySet()).as("init script FUNCTIONS").containsExactlyInAnyOrderElementsOf(FUNCTIONS);
        return functions;
    }

    /** A bash array of "KEY=VALUE" words as a map; values keep their ${...} references. */
    private static Map<String, String> scriptArray(String name) {
        String body = group(script, "(?ms)^\\s*" + name + "=\\(\\s*$(.*?)^\\s*\\)\\s*$");
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            String word = line.strip();
            if (word.isEmpty() || word.startsWith("#")) {
                continue;
            }
            if (word.startsWith("\"") && word.endsWith("\"")) {
                word = word.substring(1, word.length() - 1);
            }
            out.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
        }
        return out;
    }

    /** common_env plus the arrays the function's FUNCTIONS row names, in order. */
    private static Map<String, String> scriptEnvironment(String function) {
        Map<String, String> env = new LinkedHashMap<>(scriptArray("common_env"));
        for (String extra : scriptFunctions().get(function).extraEnvironment().trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                env.putAll(scriptArray(extra));
            }
        }
        return env;
    }

    /** Which functions get each of SkyrunStack's environment maps. */
    private static final Map<String, List<String>> STACK_ENVIRONMENT_MAPS = Map.of(
            "env", FUNCTIONS,
            "apiEnvironment", API_FUNCTIONS,
            "appEnv", List.of(GOALS_API, RUNS_API, RUN_WORKER),
            "goalsEnv", List.of(GOALS_API),
            "workerEnv", List.of(RUN_WORKER));

    /** SKYRUN_* names SkyrunStack puts into each environment map, read from {@code <map>.put("SKYRUN_...")}. */
    private static Map<String, Set<String>> stackEnvironmentNames() {
        Map<String, Set<String>> names = new TreeMap<>();
        Matcher m = Pattern.compile("\\b(\\w+)\\.put\\(\"(SKYRUN_\\w+)\"").matcher(stackSource);
        while (m.find()) {
            assertThat(STACK_ENVIRONMENT_MAPS).as("environment map %s in SkyrunStack", m.group(1)).containsKey(m.group(1));
            names.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
        assertThat(names.keySet()).containsExactlyInAnyOrderElementsOf(STACK_ENVIRONMENT_MAPS.keySet());
        return names;
    }

    private static Set<String> stackVariablesOf(String function, Map<String, Set<String>> namesByMap) {
        Set<String> names = new TreeSet<>();
        STACK_ENVIRONMENT_MAPS.forEach((map, functions) -> {
            if (functions.contains(function)) {
                names.addAll(namesByMap.get(map));
            }
        });
        return names;
    }

    /** SKYRUN_AWS_<NAME> for each component of AwsConfig (prefix skyrun.aws), as Micronaut binds variables. */
    private static Set<String> awsConfigVariables() {
        String source;
        try {
            source = read("shared/src/main/java/io/skyrun/aws/AwsConfig.java");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(source).contains("@ConfigurationProperties(\"skyrun.aws\")");
        String components = group(source, "(?s)public record AwsConfig\\((.*?)\\)\\s*\\{");
        Set<String> names = new TreeSet<>();
        for (String component : all(components, "(\\w+)\\s*(?:,|$)")) {
            names.add("SKYRUN_AWS_" + component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
        }
        return names;
    }

    /** Replaces the script's ${NAME} references to top-level constants (NAME="value") with their values. */
    private static String expand(String value) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)\\}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher constant = Pattern.compile("(?m)^" + m.group(1) + "=\"([^\"$]*)\"$").matcher(script);
            m.appendReplacement(out, Matcher.quoteReplacement(constant.find() ? constant.group(1) : m.group()));
        }
        return m.appendTail(out).toString();
    }

    /** Shell variable holding a queue's URL or ARN -> the queue's name, as the init script assigns them. */
    private static Map<String, String> queueVariables() {
        Map<String, String> urls = pairs(String.join("\n", scriptCommands),
                "(\\w+)=\"\\$\\(awslocal sqs create-queue --queue-name ([\\w-]+)");
        Map<String, String> out = new TreeMap<>(urls);
        pairs(script, "(\\w+)=\"\\$\\(queue_arn \"\\$(\\w+)\"\\)\"").forEach((arn, url) -> out.put(arn, urls.get(url)));
        return out;
    }

    private static Map<String, Map<String, Object>> templateFunctions() {
        Map<String, Map<String, Object>> functions = new TreeMap<>();
        map(template.get("Resources")).values().stream().map(LocalStackFilesTest::map)
                .filter(r -> "AWS::Serverless::Function".equals(r.get("Type")))
                .map(r -> map(r.get("Properties")))
                .forEach(p -> functions.put(text(p.get("FunctionName")), p));
        return functions;
    }

    private static Map<String, String> globalEnvironment() {
        return environmentOf(map(map(template.get("Globals")).get("Function")));
    }

    private static Map<String, String> environmentOf(Map<String, Object> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        Object environment = properties.get("Environment");
        if (environment != null) {
            map(map(environment).get("Variables")).forEach((k, v) -> env.put(k, text(v)));
        }
        return env;
    }

    /** What a function sees: SAM merges Globals' variables with the function's own. */
    private static Map<String, String> templateEnvironment(String function) {
        Map<String, String> env = new LinkedHashMap<>(globalEnvironment());
        env.putAll(environmentOf(templateFunctions().get(function)));
        return env;
    }

    /** "function METHOD path" for every route SkyrunStack adds; the integration variable names the function. */
    private static Set<String> stackRoutes() {
        Set<String> routes = new TreeSet<>();
        Matcher m = Pattern.compile("route\\(api, (\\w+)Integration, HttpMethod\\.(\\w+), ([^;]*)\\);").matcher(stackSource);
        while (m.find()) {
            String function = m.group(1) + "-api";
            assertThat(FUNCTIONS).contains(function);
            all(m.group(3), "\"([^\"]+)\"").forEach(path -> routes.add(function + " " + m.group(2) + " " + path));
        }
        assertThat(routes).as("routes in SkyrunStack").hasSizeGreaterThanOrEqualTo(6);
        return routes;
    }

    /** Key attribute per key kind ("Partition"/"Sort") of the Item attributes tagged with {@code tag}. */
    private static Map<String, String> itemKeys(String tag) throws IOException {
        String itemSource = read("shared/src/main/java/io/skyrun/storage/dynamo/Item.java");
        Map<String, String> attributeNames = itemAttributeNames(itemSource);
        Map<String, String> keys = new TreeMap<>();
        Matcher m = Pattern.compile("case (\\w+) -> new StaticAttributeTag\\[\\] \\{" + tag + "\\}").matcher(itemSource);
        while (m.find()) {
            keys.put(m.group(2), attributeNames.get(m.group(1)));
        }
        return keys;
    }

    /** Item's attribute names by the constant of its Attribute enum ({@code GSI1PK("GSI1PK", String.class)}). */
    private static Map<String, String> itemAttributeNames(String itemSource) {
        return pairs(itemSource, "(\\w+)\\(\"(\\w+)\", (?:String|Long|Integer|Boolean)\\.class\\)");
    }

    private static Map<String, String> composeEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object entry : list(map(map(compose.get("services")).get("localstack")).get("environment"))) {
            String text = text(entry);
            env.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
        }
        return env;
    }

    private static List<String> composeVolumes() {
        return list(map(map(compose.get("services")).get("localstack")).get("volumes")).stream()
                .map(LocalStackFilesTest::text).toList();
    }

    /** The default of a compose interpolation such as {@code ${NAME:-default}}, or the text itself. */
    private static String composeDefault(String value) {
        Matcher m = Pattern.compile("^\\$\\{\\w+:-([^}]*)\\}$").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static Matcher matcher(String text, String regex) {
        assertThat(text).as("text to search for /%s/", regex).isNotNull();
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/%s/ in %s", regex, abbreviate(text)).isTrue();
        return m;
    }

    private static String group(String text, String regex) {
        return matcher(text, regex).group(1);
    }

    private static List<String> all(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Map<String, String> pairs(String text, String regex) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static String text(Object value) {
        assertThat(value).isInstanceOf(String.class);
        return (String) value;
    }

    /**
     * Just the YAML these files are written in: block mappings and sequences, plain and quoted scalars (all kept
     * as strings) and short tags kept as text ({@code "!Ref Name"}). No YAML library is on infra-cdk's test
     * classpath, and anything else (flow collections, block scalars, anchors, tabs) is refused rather than
     * misread.
     */
    static final class MiniYaml {
        private record Line(int number, int indent, String text) {
        }

        private final List<Line> lines = new ArrayList<>();
        private int pos;

        private MiniYaml(String source) {
            String[] raw = source.split("\r?\n", -1);
            for (int i = 0; i < raw.length; i++) {
                String line = raw[i];
                String content = line.strip();
                if (content.isEmpty() || content.startsWith("#")) {
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                if (line.substring(0, indent).indexOf('\t') >= 0) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": tab in indentation");
                }
                if (content.equals("---") || content.equals("...") || content.startsWith("%")) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": documents and directives are not supported");
                }
                lines.add(new Line(i + 1, indent, line.stripTrailing().substring(indent)));
            }
        }

        static Object parse(String source) {
            MiniYaml yaml = new MiniYaml(source);
            if (yaml.lines.isEmpty()) {
                return null;
            }
            Object root = yaml.node(yaml.lines.get(0).indent());
            if (yaml.pos < yaml.lines.size()) {
                throw error(yaml.lines.get(yaml.pos), "unexpected indentation");
            }
            return root;
        }

        private Object node(int indent) {
            return isItem(lines.get(pos).text()) ? sequence(indent) : mapping(indent);
        }

        private static boolean isItem(String text) {
            return text.equals("-") || text.startsWith("- ");
        }

        private List<Object> sequence(int indent) {
            List<Object> items = new ArrayList<>();
            while (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos).text())) {
                Line line = lines.get(pos);
                String rest = line.text().substring(1).stripLeading();
                if (rest.isEmpty() || rest.startsWith("#")) {
                    pos++;
                    items.add(child(indent, false));
                } else if (keyEnd(rest) >= 0) {
                    // "- key: value" opens a mapping whose keys line up with "key"
                    int inner = indent + line.text().length() - rest.length();
                    lines.set(pos, new Line(line.number(), inner, rest));
                    items.add(mapping(inner));
                } else {
                    pos++;
                    items.add(scalar(rest, line));
                }
            }
            rejectDeeperLine(indent);
            return items;
        }

        private Map<String, Object> mapping(int indent) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (pos < lines.size() && lines.get(pos).indent() == indent) {
                Line line = lines.get(pos);
                if (isItem(line.text())) {
                    throw error(line, "a list item where a key was expected");
                }
                int end = keyEnd(line.text());
                if (end < 0) {
                    throw error(line, "expected 'key: value'");
                }
                String key = unquote(line.text().substring(0, end).strip(), line);
                String rest = line.text().substring(end + 1).strip();
                pos++;
                Object value = rest.isEmpty() || rest.startsWith("#") ? child(indent, true) : scalar(rest, line);
                if (map.containsKey(key)) {
                    throw error(line, "duplicate key '" + key + "'");
                }
                map.put(key, value);
            }
            rejectDeeperLine(indent);
            return map;
        }

        /** The node nested under a "key:" or "-" line; YAML also lets a key's list sit at the key's own indent. */
        private Object child(int indent, boolean sameIndentList) {
            if (pos < lines.size() && lines.get(pos).indent() > indent) {
                return node(lines.get(pos).indent());
            }
            if (sameIndentList && pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos).text())) {
                return sequence(indent);
            }
            return null;
        }

        private void rejectDeeperLine(int indent) {
            if (pos < lines.size() && lines.get(pos).indent() > indent) {
                throw error(lines.get(pos), "unexpected indentation (multi-line scalars are not supported)");
            }
        }

        /** Index of the colon that ends a mapping key on this line, or -1 when the line is no "key: value". */
        private static int keyEnd(String text) {
            if (text.startsWith("\"") || text.startsWith("'")) {
                int close = closingQuote(text);
                int colon = close + 1;
                return close > 0 && colon < text.length() && text.charAt(colon) == ':'
                        && (colon + 1 == text.length() || text.charAt(colon + 1) == ' ') ? colon : -1;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '#' && i > 0 && text.charAt(i - 1) == ' ') {
                    return -1;
                }
                if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        private static String scalar(String text, Line line) {
            char first = text.charAt(0);
            if (first == '"' || first == '\'') {
                int close = closingQuote(text);
                if (close < 0) {
                    throw error(line, "unterminated quoted scalar");
                }
                String after = text.substring(close + 1).strip();
                if (!after.isEmpty() && !after.startsWith("#")) {
                    throw error(line, "text after a quoted scalar");
                }
                return unquote(text.substring(0, close + 1), line);
            }
            if ("[{|>&*@`%".indexOf(first) >= 0) {
                throw error(line, "flow collections, block scalars, anchors and aliases are not supported");
            }
            int comment = text.indexOf(" #");
            return (comment >= 0 ? text.substring(0, comment) : text).strip();
        }

        private static int closingQuote(String text) {
            char quote = text.charAt(0);
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote == '"' && c == '\\') {
                    i++;
                } else if (c == quote) {
                    if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        i++;
                    } else {
                        return i;
                    }
                }
            }
            return -1;
        }

        private static String unquote(String text, Line line) {
            if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
                return text.substring(1, text.length() - 1).replace("''", "'");
            }
            if (!(text.length() >= 2 && text.startsWith("\"") && text.endsWith("\""))) {
                return text;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < text.length() - 1; i++) {
                char c = text.charAt(i);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(++i);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case '"', '\\', '/' -> out.append(escaped);
                    default -> throw error(line, "unsupported escape \\" + escaped);
                }
            }
            return out.toString();
        }

        private static IllegalArgumentException error(Line line, String message) {
            return new IllegalArgumentException("line " + line.number() + ": " + message + ": " + line.text());
        }
    }
}
