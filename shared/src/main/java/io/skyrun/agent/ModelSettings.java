package io.skyrun.agent;

import io.skyrun.json.WireValue;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Optional;

/**
 * The model configuration resolved and checked once: provider, model name (with each provider's default),
 * endpoint, and what is wrong with it, if anything. {@code /health/ready} reports from here without
 * building a model client, so the API functions never load a provider SDK.
 */
@Singleton
public class ModelSettings {
    /** The providers and their defaults. */
    public enum Provider implements WireValue {
        OFFLINE("offline", OfflineModel.MODEL, null, false),
        OPENAI("openai", "gpt-4o-mini", "https://api.openai.com/v1", true),
        OPENROUTER("openrouter", "openai/gpt-4o-mini", "https://openrouter.ai/api/v1", true),
        OLLAMA("ollama", "llama3.1", "http://localhost:11434", false),
        BEDROCK("bedrock", "anthropic.claude-3-haiku-20240307-v1:0", null, false);

        private final String wire;
        private final String defaultModel;
        private final String defaultBaseUrl;
        private final boolean needsKey;

        Provider(String wire, String defaultModel, String defaultBaseUrl, boolean needsKey) {
            this.wire = wire;
            this.defaultModel = defaultModel;
            this.defaultBaseUrl = defaultBaseUrl;
            this.needsKey = needsKey;
        }

        @Override
        public String wire() {
            return wire;
        }

        static Optional<Provider> parse(String text) {
            return WireValue.parse(values(), text);
        }

        static String allowed() {
            return WireValue.allowed(values());
        }
    }

    private final ModelConfig config;
    private final Provider provider;
    private final String providerName;
    private final String model;
    private final String baseUrl;
    private final String problem;

    public ModelSettings(ModelConfig config) {
        this.config = config;
        Optional<Provider> parsed = Provider.parse(config.provider());
        this.provider = parsed.orElse(null);
        this.providerName = parsed.map(Provider::wire).orElse(config.provider());
        this.model = provider == null ? blankToNull(config.name())
                : provider == Provider.OFFLINE ? OfflineModel.MODEL
                : Optional.ofNullable(blankToNull(config.name())).orElse(provider.defaultModel);
        this.baseUrl = provider == null ? null
                : Optional.ofNullable(blankToNull(config.baseUrl())).orElse(provider.defaultBaseUrl);
        this.problem = check();
    }

    private String check() {
        if (provider == null) {
            return "SKYRUN_MODEL_PROVIDER must be one of " + Provider.allowed() + " (was '" + config.provider() + "')";
        }
        if (provider.needsKey && blankToNull(config.apiKey()) == null) {
            return "provider " + provider.wire + " needs an API key: set SKYRUN_MODEL_API_KEY";
        }
        if (baseUrl != null) {
            try {
                URI uri = new URI(baseUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    return "SKYRUN_MODEL_BASE_URL must be an http(s) URL";
                }
            } catch (java.net.URISyntaxException e) {
                return "SKYRUN_MODEL_BASE_URL must be an http(s) URL";
            }
        }
        if (config.timeout() == null || config.timeout().isZero() || config.timeout().isNegative()) {
            return "SKYRUN_MODEL_TIMEOUT must be positive";
        }
        if (config.maxRetries() < 0) {
            return "SKYRUN_MODEL_MAX_RETRIES must not be negative";
        }
        return null;
    }

    /** The provider, or null when the configured name is not one. */
    public Provider provider() {
        return provider;
    }

    /** The provider's name as configured (for reports, also when it is unknown). */
    public String providerName() {
        return providerName;
    }

    public String model() {
        return model;
    }

    /** The endpoint in use, or null for the provider's SDK default (Bedrock: the region's endpoint). */
    public String baseUrl() {
        return baseUrl;
    }

    public ModelConfig config() {
        return config;
    }

    /** What is wrong with the configuration, if anything; never contains the key. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
