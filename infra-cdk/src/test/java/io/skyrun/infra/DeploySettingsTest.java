package io.skyrun.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code -c key=value} becomes {@link DeploySettings}, and which combinations synth refuses. */
class DeploySettingsTest {

    private static DeploySettings settings(Map<String, Object> context) {
        return DeploySettings.fromContext(context::get);
    }

    @Test
    void withoutContextTheModelIsOfflineAndMailSearchAndToolsAreOff() {
        // GIVEN / WHEN no context at all
        DeploySettings defaults = DeploySettings.defaults();

        // THEN the stack deploys what runs without any account outside AWS
        assertThat(defaults.modelProvider()).isEqualTo("offline");
        assertThat(defaults.email()).isEqualTo("none");
        assertThat(defaults.searchProvider()).isEqualTo("none");
        assertThat(defaults.modelApiKeySecret()).isNull();
        assertThat(defaults.httpToolAllowedHosts()).isNull();
        assertThat(defaults.filesExpireDays()).isNull();
    }

    @Test
    void anSmtpHostMakesSmtpTheDefaultTransportAsInTheApp() {
        // GIVEN an SMTP host and sender but no explicit transport
        // WHEN reading the settings
        DeploySettings settings = settings(Map.of("smtpHost", "smtp.example.com", "emailFrom", "a@example.com",
                "emailAllowedRecipients", "@example.com"));

        // THEN the transport is smtp, as OutputsConfig.emailTransport() decides it
        assertThat(settings.email()).isEqualTo("smtp");
    }

    @Test
    void namesAreCaseInsensitiveAndBlankMeansUnset() {
        // GIVEN values typed with capitals and an empty one
        // WHEN reading the settings
        DeploySettings settings = settings(Map.of("modelProvider", "Bedrock", "modelName", "  ", "email", "NONE"));

        // THEN they are normalised like the app normalises them
        assertThat(settings.modelProvider()).isEqualTo("bedrock");
        assertThat(settings.modelName()).isNull();
        assertThat(settings.email()).isEqualTo("none");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "runs@example.com | runs@example.com | example.com",
            "skyrun <runs@mail.example.com> | runs@mail.example.com | mail.example.com",
            "\"Sky Run\" <a.b@x.io> | a.b@x.io | x.io"})
    void senderAddressAndDomainAreReadFromEmailFrom(String from, String address, String domain) {
        // GIVEN a sender as the app accepts it
        DeploySettings settings = settings(Map.of("email", "ses", "emailFrom", from, "emailAllowedRecipients", "*"));

        // WHEN / THEN the SES grant can name its identities
        assertThat(settings.emailFromAddress()).isEqualTo(address);
        assertThat(settings.emailFromDomain()).isEqualTo(domain);
    }

    @Test
    void recipientAllowListIsKeptAsWrittenAndBlankMeansUnset() {
        // GIVEN an allow-list with surrounding blanks, and a blank one where no transport needs it
        // WHEN reading the settings
        DeploySettings ses = settings(Map.of("email", "ses", "emailFrom", "a@example.com",
                "emailAllowedRecipients", "  ops@example.com,@example.org  "));
        DeploySettings none = settings(Map.of("emailAllowedRecipients", " "));

        // THEN the list reaches SKYRUN_EMAIL_ALLOWED_RECIPIENTS unchanged apart from the blanks, and blank is unset
        assertThat(ses.emailAllowedRecipients()).isEqualTo("ops@example.com,@example.org");
        assertThat(none.emailAllowedRecipients()).isNull();
        assertThat(none.email()).isEqualTo("none");
    }

    @Test
    void bedrockFoundationModelIdsAreAccepted() {
        // GIVEN model ids whose provider part is not a geography
        for (String model : new String[] {"anthropic.claude-3-haiku-20240307-v1:0", "meta.llama3-1-8b-instruct-v1:0",
                "amazon.nova-pro-v1:0"}) {
            // WHEN / THEN they are foundation models the stack can grant
            assertThat(settings(Map.of("modelProvider", "bedrock", "modelName", model)).modelName()).isEqualTo(model);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "modelProvider=gemini | modelProvider must be one of offline, openai, openrouter, ollama, bedrock",
            "modelProvider=openai | modelProvider=openai needs modelApiKeySecret",
            "modelProvider=openrouter | modelProvider=openrouter needs modelApiKeySecret",
            "modelProvider=bedrock,modelName=us.anthropic.claude-3-5-sonnet-20240620-v1:0 | is a cross-region inference profile",
            "modelProvider=bedrock,modelName=global.anthropic.claude-sonnet-4-20250514-v1:0 | is a cross-region inference profile",
            "email=ses | email=ses needs emailFrom",
            "email=ses,emailFrom=a@example.com | email=ses needs emailAllowedRecipients",
            "email=smtp,emailFrom=a@example.com,smtpHost=smtp.example.com | email=smtp needs emailAllowedRecipients",
            "smtpHost=smtp.example.com,emailFrom=a@example.com | email=smtp needs emailAllowedRecipients",
            "email=smtp,emailFrom=a@example.com,emailAllowedRecipients=* | email=smtp needs smtpHost",
            "email=sendmail | email must be one of none, smtp, ses",
            "smtpPort=70000 | smtpPort must be 1-65535",
            "smtpPort=submission | smtpPort must be a whole number",
            "searchProvider=google | searchProvider must be one of none, searxng, brave, tavily",
            "searchProvider=searxng | searchProvider=searxng needs searchUrl",
            "searchProvider=tavily | searchProvider=tavily needs searchApiKeySecret",
            "filesExpireDays=0 | filesExpireDays must be at least 1",
            "modelProvider=openai,modelApiKeySecret=arn:aws:ssm:eu-west-1:111122223333:parameter/skyrun/key | must name a Secrets Manager secret"})
    void synthRefusesSettingsTheFunctionsCouldNotUse(String pairs, String message) {
        // GIVEN context values that would deploy a misconfigured app
        Map<String, Object> context = new HashMap<>();
        for (String pair : pairs.split(",")) {
            context.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }

        // WHEN / THEN reading them fails with a message naming the context key
        assertThatThrownBy(() -> settings(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("skyrun context: ")
                .hasMessageContaining(message);
    }

    @Test
    void everyContextKeyIsReadAndDocumented() throws IOException {
        // GIVEN a context that records what is asked of it
        Set<String> asked = new TreeSet<>();

        // WHEN reading settings from it
        DeploySettings.fromContext(key -> {
            asked.add(key);
            return null;
        });

        // THEN every documented key is asked for, and infra-cdk/README.md describes each one
        assertThat(asked).containsExactlyInAnyOrderElementsOf(DeploySettings.CONTEXT_KEYS);
        Path readme = Path.of("README.md").toAbsolutePath();
        if (!Files.isDirectory(readme.resolveSibling("src"))) {
            readme = Path.of("infra-cdk", "README.md").toAbsolutePath();
        }
        String text = Files.readString(readme);
        for (String key : DeploySettings.CONTEXT_KEYS) {
            assertThat(text).as("%s describes %s", readme, key).contains("`" + key + "`");
        }
    }
}
