package io.skyrun.agent.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.skyrun.agent.AgentContext;
import io.skyrun.agent.AgentDecision;
import io.skyrun.agent.AgentModel;
import io.skyrun.agent.ModelConfig;
import io.skyrun.agent.ModelSettings;
import io.skyrun.agent.OfflineModel;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.json.JsonCodec;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the agent's model from {@code SKYRUN_MODEL_*}. The provider SDK's own retries are off: the
 * {@link LangChainModel} retries rate limits, server errors and timeouts itself, with backoff. A
 * misconfigured provider gives a model whose every call fails with the configuration problem, so runs
 * fail with a clear error and {@code /health/ready} answers 503 with the same reason.
 */
@Factory
// the API Lambdas leave LangChain4j out of their jars (they never run the agent): no model bean there
@Requires(classes = ChatModel.class)
public class ModelFactory {
    /** Sent to OpenRouter, which shows it in its dashboards (optional there). */
    static final Map<String, String> OPENROUTER_HEADERS = Map.of("X-Title", "skyrun");

    @Singleton
    AgentModel agentModel(ModelSettings settings, JsonCodec json, AwsClientFactory aws, Clock clock) {
        if (settings.problem().isPresent()) {
            return new Misconfigured(settings.providerName(), settings.model(), settings.problem().get());
        }
        if (settings.provider() == ModelSettings.Provider.OFFLINE) {
            return new OfflineModel();
        }
        ModelConfig config = settings.config();
        return new LangChainModel(chatModel(settings, aws), settings.providerName(), settings.model(),
                config.maxRetries(), config.retryBackoff(), config.timeout(), config.apiKey(), json,
                duration -> Thread.sleep(duration.toMillis()), clock);
    }

    static ChatModel chatModel(ModelSettings settings, AwsClientFactory aws) {
        ModelConfig config = settings.config();
        return switch (settings.provider()) {
            case OPENAI, OPENROUTER -> OpenAiChatModel.builder()
                    .httpClientBuilder(jdkHttp(config.timeout()))
                    .baseUrl(settings.baseUrl())
                    .apiKey(config.apiKey())
                    .modelName(settings.model())
                    .timeout(config.timeout())
                    .maxRetries(0)
                    .temperature(config.temperature())
                    .maxTokens(config.maxTokens())
                    .parallelToolCalls(settings.provider() == ModelSettings.Provider.OPENAI ? false : null)
                    .customHeaders(settings.provider() == ModelSettings.Provider.OPENROUTER ? OPENROUTER_HEADERS : Map.of())
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(jdkHttp(config.timeout()))
                    .baseUrl(settings.baseUrl())
                    .modelName(settings.model())
                    .timeout(config.timeout())
                    .maxRetries(0)
                    .temperature(config.temperature())
                    .numPredict(config.maxTokens())
                    .build();
            case BEDROCK -> BedrockChatModel.builder()
                    .client(bedrockClient(settings, aws))
                    .modelId(settings.model())
                    .timeout(config.timeout())
                    .maxRetries(0)
                    .build();
            case OFFLINE -> throw new IllegalStateException("the offline model is not a LangChain4j model");
        };
    }

    // the JDK's own HTTP client: no extra HTTP stack in the jars
    private static JdkHttpClientBuilder jdkHttp(Duration timeout) {
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(timeout);
    }

    private static BedrockRuntimeClient bedrockClient(ModelSettings settings, AwsClientFactory aws) {
        ModelConfig config = settings.config();
        var builder = BedrockRuntimeClient.builder()
                .region(aws.region())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(config.timeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(config.timeout())
                        .retryPolicy(RetryPolicy.none())
                        .build());
        if (settings.baseUrl() != null) {
            builder.endpointOverride(URI.create(settings.baseUrl()));
        }
        return builder.build();
    }

    /** A model that cannot be used: every step fails with the configuration problem. */
    record Misconfigured(String provider, String model, String problem) implements AgentModel {
        @Override
        public AgentDecision decide(AgentContext context) {
            throw new ModelFailure("model provider is misconfigured: " + problem, null);
        }
    }
}
