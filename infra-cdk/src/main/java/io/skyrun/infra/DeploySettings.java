package io.skyrun.infra;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a deployment chooses with {@code cdk deploy -c key=value}: the model, the mail transport, the search
 * backend and the hosts of the HTTP tool. Secrets are named, never given: each {@code *Secret} is the name or
 * ARN of an AWS Secrets Manager secret whose plain-text value CloudFormation resolves at deploy time.
 * The checks here stop a synth that would deploy functions answering 503 or failing every run.
 *
 * @param modelProvider        {@code SKYRUN_MODEL_PROVIDER}: offline (default), openai, openrouter, ollama or bedrock
 * @param modelName            {@code SKYRUN_MODEL_NAME}, or null for the provider's default
 * @param modelBaseUrl         {@code SKYRUN_MODEL_BASE_URL}, or null for the provider's default
 * @param modelApiKeySecret    secret holding {@code SKYRUN_MODEL_API_KEY} (required for openai and openrouter)
 * @param email                {@code SKYRUN_EMAIL}: none, smtp or ses (default smtp when an SMTP host is set, else none)
 * @param emailFrom            {@code SKYRUN_EMAIL_FROM} (required for smtp and ses)
 * @param emailAllowedRecipients {@code SKYRUN_EMAIL_ALLOWED_RECIPIENTS}: comma-separated addresses, {@code @domain}s or
 *                             {@code *} that email outputs may go to (required for smtp and ses)
 * @param smtpHost             {@code SKYRUN_SMTP_HOST} (required for smtp)
 * @param smtpPort             {@code SKYRUN_SMTP_PORT}, or null for the app's default (587)
 * @param smtpUser             {@code SKYRUN_SMTP_USER}, when the server wants a login
 * @param smtpPasswordSecret   secret holding {@code SKYRUN_SMTP_PASSWORD}
 * @param searchProvider       {@code SKYRUN_SEARCH_PROVIDER}: none (default), searxng, brave or tavily
 * @param searchUrl            {@code SKYRUN_SEARCH_URL} (required for searxng)
 * @param searchApiKeySecret   secret holding {@code SKYRUN_SEARCH_API_KEY} (required for brave and tavily)
 * @param httpToolAllowedHosts {@code SKYRUN_HTTP_TOOL_ALLOWED_HOSTS}, comma-separated, or null for none
 * @param filesExpireDays      days after which output files are deleted by an S3 lifecycle rule, or null to keep them
 */
public record DeploySettings(
        String modelProvider,
        String modelName,
        String modelBaseUrl,
        String modelApiKeySecret,
        String email,
        String emailFrom,
        String emailAllowedRecipients,
        String smtpHost,
        Integer smtpPort,
        String smtpUser,
        String smtpPasswordSecret,
        String searchProvider,
        String searchUrl,
        String searchApiKeySecret,
        String httpToolAllowedHosts,
        Integer filesExpireDays) {

    static final List<String> MODEL_PROVIDERS = List.of("offline", "openai", "openrouter", "ollama", "bedrock");
    static final List<String> KEYED_MODEL_PROVIDERS = List.of("openai", "openrouter");
    /** Geography prefixes of Bedrock cross-region inference profile ids ({@code us.anthropic...}). */
    static final List<String> INFERENCE_PROFILE_PREFIXES = List.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca");
    static final List<String> EMAIL_TRANSPORTS = List.of("none", "smtp", "ses");
    static final List<String> SEARCH_PROVIDERS = List.of("none", "searxng", "brave", "tavily");
    static final List<String> KEYED_SEARCH_PROVIDERS = List.of("brave", "tavily");

    /** The context keys, as given to {@code cdk deploy -c key=value}. */
    static final List<String> CONTEXT_KEYS = List.of("modelProvider", "modelName", "modelBaseUrl", "modelApiKeySecret",
            "email", "emailFrom", "emailAllowedRecipients", "smtpHost", "smtpPort", "smtpUser", "smtpPasswordSecret",
            "searchProvider", "searchUrl", "searchApiKeySecret", "httpToolAllowedHosts", "filesExpireDays");

    public DeploySettings {
        modelProvider = lower(orDefault(modelProvider, "offline"));
        modelName = blankToNull(modelName);
        modelBaseUrl = blankToNull(modelBaseUrl);
        modelApiKeySecret = secretId("modelApiKeySecret", modelApiKeySecret);
        smtpHost = blankToNull(smtpHost);
        email = lower(orDefault(email, smtpHost != null ? "smtp" : "none"));
        emailFrom = blankToNull(emailFrom);
        emailAllowedRecipients = blankToNull(emailAllowedRecipients);
        smtpUser = blankToNull(smtpUser);
        smtpPasswordSecret = secretId("smtpPasswordSecret", smtpPasswordSecret);
        searchProvider = lower(orDefault(searchProvider, "none"));
        searchUrl = blankToNull(searchUrl);
        searchApiKeySecret = secretId("searchApiKeySecret", searchApiKeySecret);
        httpToolAllowedHosts = blankToNull(httpToolAllowedHosts);

        oneOf("modelProvider", modelProvider, MODEL_PROVIDERS);
        if (KEYED_MODEL_PROVIDERS.contains(modelProvider) && modelApiKeySecret == null) {
            throw invalid("modelProvider=" + modelProvider + " needs modelApiKeySecret (the Secrets Manager secret "
                    + "holding the key); without it /health/ready answers 503 and every run fails");
        }
        if (modelProvider.equals("bedrock") && modelName != null && modelName.contains(".")
                && INFERENCE_PROFILE_PREFIXES.contains(modelName.substring(0, modelName.indexOf('.')))) {
            throw invalid("modelName " + modelName + " is a cross-region inference profile; the stack grants "
                    + "foundation models of its own region only: use a model id such as anthropic.claude-3-haiku-20240307-v1:0");
        }
        oneOf("email", email, EMAIL_TRANSPORTS);
        if (!email.equals("none") && emailFrom == null) {
            throw invalid("email=" + email + " needs emailFrom (the sender address)");
        }
        if (!email.equals("none") && emailAllowedRecipients == null) {
            throw invalid("email=" + email + " needs emailAllowedRecipients (addresses, @domains or * that email "
                    + "outputs may go to); without it the functions refuse every email output");
        }
        if (email.equals("smtp") && smtpHost == null) {
            throw invalid("email=smtp needs smtpHost");
        }
        if (smtpPort != null && (smtpPort < 1 || smtpPort > 65535)) {
            throw invalid("smtpPort must be 1-65535 (was " + smtpPort + ")");
        }
        oneOf("searchProvider", searchProvider, SEARCH_PROVIDERS);
        if (searchProvider.equals("searxng") && searchUrl == null) {
            throw invalid("searchProvider=searxng needs searchUrl");
        }
        if (KEYED_SEARCH_PROVIDERS.contains(searchProvider) && searchApiKeySecret == null) {
            throw invalid("searchProvider=" + searchProvider + " needs searchApiKeySecret");
        }
        if (filesExpireDays != null && filesExpireDays < 1) {
            throw invalid("filesExpireDays must be at least 1 (was " + filesExpireDays + ")");
        }
    }

    /** Offline model, no email, no search, no HTTP tool hosts, files kept until their run or goal is deleted. */
    public static DeploySettings defaults() {
        return fromContext(key -> null);
    }

    /** Reads every setting from the CDK context ({@code -c key=value} or {@code cdk.json}); absent means default. */
    public static DeploySettings fromContext(Function<String, Object> context) {
        return new DeploySettings(
                text(context, "modelProvider"),
                text(context, "modelName"),
                text(context, "modelBaseUrl"),
                text(context, "modelApiKeySecret"),
                text(context, "email"),
                text(context, "emailFrom"),
                text(context, "emailAllowedRecipients"),
                text(context, "smtpHost"),
                number(context, "smtpPort"),
                text(context, "smtpUser"),
                text(context, "smtpPasswordSecret"),
                text(context, "searchProvider"),
                text(context, "searchUrl"),
                text(context, "searchApiKeySecret"),
                text(context, "httpToolAllowedHosts"),
                number(context, "filesExpireDays"));
    }

    boolean bedrock() {
        return modelProvider.equals("bedrock");
    }

    boolean ses() {
        return email.equals("ses");
    }

    /** The bare address of {@link #emailFrom}, also when it is written {@code Name <address>}. */
    String emailFromAddress() {
        if (emailFrom == null) {
            return null;
        }
        int open = emailFrom.lastIndexOf('<');
        int close = emailFrom.lastIndexOf('>');
        return (open >= 0 && close > open ? emailFrom.substring(open + 1, close) : emailFrom).strip();
    }

    /** The domain of the sender address, or null when the address has none. */
    String emailFromDomain() {
        String address = emailFromAddress();
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 || at == address.length() - 1 ? null : address.substring(at + 1);
    }

    private static String text(Function<String, Object> context, String key) {
        Object value = context.apply(key);
        return value == null ? null : blankToNull(value.toString());
    }

    private static Integer number(Function<String, Object> context, String key) {
        String value = text(context, key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a whole number (was '" + value + "')");
        }
    }

    /**
     * CloudFormation resolves Secrets Manager references in a Lambda environment, but not SSM SecureString ones
     * ({@code ssm-secure} works only in a short list of resource properties), so an SSM name is refused here.
     */
    private static String secretId(String key, String value) {
        String id = blankToNull(value);
        if (id != null && (id.startsWith("arn:") && id.contains(":ssm:") || id.startsWith("ssm:"))) {
            throw invalid(key + " must name a Secrets Manager secret; CloudFormation cannot put an SSM SecureString "
                    + "into a Lambda environment (was '" + id + "')");
        }
        return id;
    }

    private static void oneOf(String key, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw invalid(key + " must be one of " + String.join(", ", allowed) + " (was '" + value + "')");
        }
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("skyrun context: " + message);
    }

    private static String orDefault(String value, String fallback) {
        String text = blankToNull(value);
        return text == null ? fallback : text;
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
