package io.skyrun.infra;

import static io.skyrun.infra.SkyrunStack.FILES_BUCKET;
import static io.skyrun.infra.SkyrunStack.GOALS_API;
import static io.skyrun.infra.SkyrunStack.RUNS_API;
import static io.skyrun.infra.SkyrunStack.RUN_WORKER;
import static io.skyrun.infra.SkyrunStack.SCHEDULE_TRIGGER;
import static io.skyrun.infra.SynthesizedStack.asList;
import static io.skyrun.infra.SynthesizedStack.cast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * Synthesizes {@link SkyrunStack} with context settings ({@link DeploySettings}) and checks what they add: the
 * variables each function gets, secrets as dynamic references, and the Bedrock and SES grants when selected.
 */
class DeploySettingsStackTest {

    private static final String MODEL_KEY_SECRET = "skyrun/openai-key";
    private static final String SEARCH_KEY_SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:skyrun/brave-AbCdEf";
    private static final String SMTP_PASSWORD_SECRET = "skyrun/smtp-password";
    private static final String BEDROCK_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final String SES_RECIPIENTS = "ops@example.com,@example.org";

    @TempDir
    static Path workDir;

    /**
     * openai with its key, SES from a named sender to an address and a domain, brave search, HTTP tool hosts, files
     * expiring after 30 days.
     */
    private static SynthesizedStack hosted;
    /** Bedrock with a chosen model, mail to any address through an SMTP server with a login. */
    private static SynthesizedStack bedrock;

    @BeforeAll
    static void synthesize() throws IOException {
        hosted = SynthesizedStack.synthesize(workDir, "hosted", settings(Map.ofEntries(
                Map.entry("modelProvider", "openai"),
                Map.entry("modelName", "gpt-4.1-mini"),
                Map.entry("modelBaseUrl", "https://llm.example.com/v1"),
                Map.entry("modelApiKeySecret", MODEL_KEY_SECRET),
                Map.entry("email", "ses"),
                Map.entry("emailFrom", "skyrun <runs@mail.example.com>"),
                Map.entry("emailAllowedRecipients", SES_RECIPIENTS),
                Map.entry("searchProvider", "brave"),
                Map.entry("searchApiKeySecret", SEARCH_KEY_SECRET),
                Map.entry("httpToolAllowedHosts", "api.example.com,*.example.org"),
                Map.entry("filesExpireDays", "30"))));
        bedrock = SynthesizedStack.synthesize(workDir, "bedrock", settings(Map.of(
                "modelProvider", "bedrock",
                "modelName", BEDROCK_MODEL,
                "emailFrom", "runs@example.com",
                "emailAllowedRecipients", "*",
                "smtpHost", "smtp.example.com",
                "smtpPort", "2587",
                "smtpUser", "skyrun",
                "smtpPasswordSecret", SMTP_PASSWORD_SECRET)));
    }

    private static DeploySettings settings(Map<String, Object> context) {
        return DeploySettings.fromContext(context::get);
    }

    private static String dynamicReference(String secretId) {
        return "{{resolve:secretsmanager:" + secretId + ":SecretString:::}}";
    }

    // ---- model --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER})
    void functionsThatReportOrRunTheModelAreToldWhichOne(String function) {
        // GIVEN a stack deployed with -c modelProvider=openai -c modelName=... -c modelBaseUrl=...
        // WHEN reading the function's environment
        Map<String, Object> variables = hosted.environmentOf(function);

        // THEN /health/ready and the worker see the same provider, model and endpoint
        assertThat(variables)
                .containsEntry("SKYRUN_MODEL_PROVIDER", "openai")
                .containsEntry("SKYRUN_MODEL_NAME", "gpt-4.1-mini")
                .containsEntry("SKYRUN_MODEL_BASE_URL", "https://llm.example.com/v1");
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUN_WORKER})
    void modelKeyIsADynamicReferenceToTheSecret(String function) {
        // GIVEN a stack deployed with -c modelApiKeySecret=skyrun/openai-key
        // WHEN reading the key variable of the worker (which calls the model) and goals-api (which answers /health/ready)
        Object key = hosted.environmentOf(function).get("SKYRUN_MODEL_API_KEY");

        // THEN the template holds only the reference CloudFormation resolves at deploy time
        assertThat(key).isEqualTo(dynamicReference(MODEL_KEY_SECRET));
    }

    @ParameterizedTest
    @ValueSource(strings = {RUNS_API, SCHEDULE_TRIGGER})
    void functionsThatNeverCallTheModelDoNotGetItsKey(String function) {
        // GIVEN a stack with a model key
        // WHEN reading the environment of a function that never calls or checks the model key
        Map<String, Object> variables = hosted.environmentOf(function);

        // THEN the key is not there
        assertThat(variables).doesNotContainKey("SKYRUN_MODEL_API_KEY");
    }

    @Test
    void everySecretVariableInTheTemplateIsASecretsManagerReference() {
        // GIVEN both configured stacks, which set all three secret variables between them
        List<Map<String, Object>> environments = List.of(hosted, bedrock).stream()
                .flatMap(synth -> SynthesizedStack.FUNCTIONS.stream().map(synth::environmentOf))
                .toList();

        // WHEN collecting the values of the variables that carry keys or passwords
        List<Object> secrets = environments.stream()
                .flatMap(env -> env.entrySet().stream())
                .filter(entry -> entry.getKey().endsWith("_API_KEY") || entry.getKey().endsWith("_PASSWORD"))
                .map(Map.Entry::getValue)
                .toList();

        // THEN each is a dynamic reference, never a value or a bare secret name
        assertThat(secrets).hasSize(4).allSatisfy(value -> assertThat(value).asString()
                .matches("\\{\\{resolve:secretsmanager:[^}]+:SecretString:::}}"));
    }

    @Test
    void bedrockWorkerMayInvokeOnlyTheChosenFoundationModelOfTheRegion() {
        // GIVEN a stack deployed with -c modelProvider=bedrock -c modelName=<model id>
        // WHEN looking for Bedrock statements in the worker's role
        List<Map<String, Object>> statements = bedrock.statementsOf(RUN_WORKER, "bedrock:");

        // THEN one statement allows InvokeModel (which is also what Converse needs) on that model in this region
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(asList(statement.get("Action"))).containsExactly("bedrock:InvokeModel");
            assertThat(asList(statement.get("Resource"))).containsExactly(foundationModelArn(BEDROCK_MODEL));
        });
    }

    @Test
    void bedrockWithTheDefaultModelMayInvokeAnyFoundationModelOfTheRegionOnly() throws IOException {
        // GIVEN a stack deployed with -c modelProvider=bedrock and no model name (the app picks its default)
        SynthesizedStack defaultModel = SynthesizedStack.synthesize(workDir, "bedrock-default",
                settings(Map.of("modelProvider", "bedrock")));

        // WHEN looking for Bedrock statements in the worker's role
        List<Map<String, Object>> statements = defaultModel.statementsOf(RUN_WORKER, "bedrock:");

        // THEN the grant covers the region's foundation models, not other regions, profiles or custom models
        assertThat(statements).singleElement().satisfies(statement ->
                assertThat(asList(statement.get("Resource"))).containsExactly(foundationModelArn("*")));
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, SCHEDULE_TRIGGER})
    void onlyTheWorkerMayInvokeBedrock(String function) {
        // GIVEN a Bedrock stack
        // WHEN looking for Bedrock statements in another function's role
        List<Map<String, Object>> statements = bedrock.statementsOf(function, "bedrock:");

        // THEN there are none
        assertThat(statements).isEmpty();
    }

    @Test
    void noBedrockRightsWhenAnotherProviderIsSelected() {
        // GIVEN the openai stack
        // WHEN looking for Bedrock statements in every role
        List<Map<String, Object>> statements = SynthesizedStack.FUNCTIONS.stream()
                .flatMap(function -> hosted.statementsOf(function, "bedrock:").stream())
                .toList();

        // THEN there are none
        assertThat(statements).isEmpty();
    }

    // ---- email --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, RUN_WORKER})
    void functionsThatCheckOrSendEmailKnowTheTransportSenderAndAllowedRecipients(String function) {
        // GIVEN a stack deployed with -c email=ses -c emailFrom=... -c emailAllowedRecipients=...
        // WHEN reading the function's environment
        Map<String, Object> variables = hosted.environmentOf(function);

        // THEN goals-api accepts email outputs to allowed recipients and the worker sends them from that address
        assertThat(variables)
                .containsEntry("SKYRUN_EMAIL", "ses")
                .containsEntry("SKYRUN_EMAIL_FROM", "skyrun <runs@mail.example.com>")
                .containsEntry("SKYRUN_EMAIL_ALLOWED_RECIPIENTS", SES_RECIPIENTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUN_WORKER})
    void smtpFunctionsKnowTheAllowedRecipients(String function) {
        // GIVEN a stack deployed with -c smtpHost=... -c emailAllowedRecipients=*
        // WHEN reading the environment of the function that checks email outputs and of the one that sends them
        Map<String, Object> variables = bedrock.environmentOf(function);

        // THEN both allow any address
        assertThat(variables).containsEntry("SKYRUN_EMAIL_ALLOWED_RECIPIENTS", "*");
    }

    @Test
    void scheduleTriggerIsNotToldTheAllowedRecipients() {
        // GIVEN the SES stack
        // WHEN reading the trigger's environment
        Map<String, Object> variables = hosted.environmentOf(SCHEDULE_TRIGGER);

        // THEN the allow-list stays with the functions that check or send email
        assertThat(variables).doesNotContainKey("SKYRUN_EMAIL_ALLOWED_RECIPIENTS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ses", "smtp"})
    void synthRefusesAnEmailTransportWithoutAllowedRecipients(String transport) {
        // GIVEN an app whose context selects a mail transport and a sender but no recipient allow-list
        App app = new App(AppProps.builder()
                .outdir(workDir.resolve("no-recipients-" + transport + ".out").toString())
                .context(Map.of("email", transport, "emailFrom", "runs@example.com", "smtpHost", "smtp.example.com"))
                .build());

        // WHEN / THEN reading the settings as SkyrunApp does fails, naming the missing context key
        assertThatThrownBy(() -> DeploySettings.fromContext(app.getNode()::tryGetContext))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("skyrun context: ")
                .hasMessageContaining("email=" + transport + " needs emailAllowedRecipients");
    }

    @Test
    void sesWorkerMaySendOnlyFromTheConfiguredSender() {
        // GIVEN the SES stack
        // WHEN looking for SES statements in the worker's role
        List<Map<String, Object>> statements = hosted.statementsOf(RUN_WORKER, "ses:");

        // THEN SendEmail is allowed on the sender's address and domain identities, with that From address only
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(asList(statement.get("Action"))).containsExactly("ses:SendEmail");
            assertThat(asList(statement.get("Resource"))).containsExactlyInAnyOrder(
                    sesIdentityArn("runs@mail.example.com"), sesIdentityArn("mail.example.com"));
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("StringEquals", Map.of("ses:FromAddress", "runs@mail.example.com")));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, SCHEDULE_TRIGGER})
    void onlyTheWorkerMaySendMail(String function) {
        // GIVEN the SES stack
        // WHEN looking for SES statements in another function's role
        List<Map<String, Object>> statements = hosted.statementsOf(function, "ses:");

        // THEN there are none
        assertThat(statements).isEmpty();
    }

    @Test
    void smtpWorkerGetsTheServerLoginAndNoSesRights() {
        // GIVEN a stack deployed with -c smtpHost=... -c smtpPort=2587 -c smtpUser=... -c smtpPasswordSecret=...
        // WHEN reading the worker's environment and SES statements
        Map<String, Object> variables = bedrock.environmentOf(RUN_WORKER);

        // THEN the transport defaults to smtp, the password is a reference, and SES is not granted
        assertThat(variables)
                .containsEntry("SKYRUN_EMAIL", "smtp")
                .containsEntry("SKYRUN_SMTP_HOST", "smtp.example.com")
                .containsEntry("SKYRUN_SMTP_PORT", "2587")
                .containsEntry("SKYRUN_SMTP_USER", "skyrun")
                .containsEntry("SKYRUN_SMTP_PASSWORD", dynamicReference(SMTP_PASSWORD_SECRET));
        assertThat(bedrock.statementsOf(RUN_WORKER, "ses:")).isEmpty();
    }

    @Test
    void goalsApiKnowsTheSmtpServerButNotItsLogin() {
        // GIVEN the SMTP stack
        // WHEN reading goals-api's environment
        Map<String, Object> variables = bedrock.environmentOf(GOALS_API);

        // THEN it can tell that a transport exists (to accept email outputs) without holding the password
        assertThat(variables)
                .containsEntry("SKYRUN_EMAIL", "smtp")
                .containsEntry("SKYRUN_SMTP_HOST", "smtp.example.com")
                .doesNotContainKeys("SKYRUN_SMTP_USER", "SKYRUN_SMTP_PASSWORD", "SKYRUN_SMTP_PORT");
    }

    // ---- search and HTTP tool -----------------------------------------------------------------------------------

    @Test
    void workerGetsTheSearchBackendAndTheHttpToolHosts() {
        // GIVEN a stack deployed with -c searchProvider=brave -c searchApiKeySecret=<ARN> -c httpToolAllowedHosts=...
        // WHEN reading the worker's environment
        Map<String, Object> variables = hosted.environmentOf(RUN_WORKER);

        // THEN web_search and http_request are configured, the key by reference
        assertThat(variables)
                .containsEntry("SKYRUN_SEARCH_PROVIDER", "brave")
                .containsEntry("SKYRUN_SEARCH_API_KEY", dynamicReference(SEARCH_KEY_SECRET))
                .containsEntry("SKYRUN_HTTP_TOOL_ALLOWED_HOSTS", "api.example.com,*.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {GOALS_API, RUNS_API, SCHEDULE_TRIGGER})
    void onlyTheWorkerGetsTheSearchKeyAndToolHosts(String function) {
        // GIVEN the stack with search and tool settings
        // WHEN reading another function's environment
        Map<String, Object> variables = hosted.environmentOf(function);

        // THEN none of them is there
        assertThat(variables).doesNotContainKeys("SKYRUN_SEARCH_PROVIDER", "SKYRUN_SEARCH_API_KEY",
                "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
    }

    // ---- files, secrets, synthesis ------------------------------------------------------------------------------

    @Test
    void filesExpireAfterTheConfiguredDays() {
        // GIVEN a stack deployed with -c filesExpireDays=30
        // WHEN reading the files bucket's lifecycle
        Map<String, Object> lifecycle = cast(hosted.properties(hosted.logicalId(FILES_BUCKET)).get("LifecycleConfiguration"));

        // THEN one enabled rule deletes every object 30 days after it was written
        assertThat(asList(lifecycle.get("Rules"))).singleElement().satisfies(rule -> assertThat(SynthesizedStack.map(rule))
                .containsEntry("Id", "expire-run-files")
                .containsEntry("Status", "Enabled")
                .containsEntry("ExpirationInDays", 30)
                .doesNotContainKey("Prefix"));
    }

    @Test
    void noRoleReadsSecretsItself() {
        // GIVEN every IAM policy of both configured stacks
        List<String> actions = List.of(hosted, bedrock).stream()
                .flatMap(synth -> synth.ofType("AWS::IAM::Policy").stream())
                .flatMap(policy -> SynthesizedStack.statements(policy).stream())
                .flatMap(statement -> asList(statement.get("Action")).stream())
                .map(Object::toString)
                .toList();

        // WHEN / THEN CloudFormation resolves the references with the deployer's rights: no function may read secrets
        assertThat(actions).isNotEmpty().noneMatch(action -> action.startsWith("secretsmanager:"));
    }

    @Test
    void configuredStacksSynthesizeWithoutWarnings() {
        // GIVEN / WHEN the annotations of both configured stacks
        // THEN none needs attention at deploy time
        for (SynthesizedStack synth : List.of(hosted, bedrock)) {
            Annotations annotations = Annotations.fromStack(synth.stack);
            assertThat(annotations.findWarning("*", Match.anyValue())).isEmpty();
            assertThat(annotations.findError("*", Match.anyValue())).isEmpty();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** {@code formatArn} of a foundation model in an environment-agnostic stack: no account. */
    private static Map<String, Object> foundationModelArn(String model) {
        return Map.of("Fn::Join", List.of("", List.of(
                "arn:", Map.of("Ref", "AWS::Partition"),
                ":bedrock:", Map.of("Ref", "AWS::Region"),
                "::foundation-model/" + model)));
    }

    private static Map<String, Object> sesIdentityArn(String identity) {
        return Map.of("Fn::Join", List.of("", List.of(
                "arn:", Map.of("Ref", "AWS::Partition"),
                ":ses:", Map.of("Ref", "AWS::Region"),
                ":", Map.of("Ref", "AWS::AccountId"),
                ":identity/" + identity)));
    }
}
