package io.skyrun.agent;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Which language model drives the agent ({@code SKYRUN_MODEL_*}).
 *
 * @param provider     {@code offline} (default), {@code openai}, {@code openrouter}, {@code ollama} or {@code bedrock}
 * @param name         model name or Bedrock model id; each provider has a default
 * @param apiKey       key for openai and openrouter; never logged or shown
 * @param baseUrl      endpoint: any OpenAI-compatible URL for openai, the Ollama server, or a Bedrock endpoint override
 * @param timeout      limit of one model call
 * @param maxRetries   further attempts after a rate limit (429), server error (5xx) or timeout
 * @param retryBackoff wait before the first retry; doubled for each further one
 * @param temperature  sampling temperature, when set
 * @param maxTokens    output token limit per call, when set
 */
@ConfigurationProperties("skyrun.model")
public record ModelConfig(
        @Bindable(defaultValue = "offline") String provider,
        @Nullable String name,
        @Nullable String apiKey,
        @Nullable String baseUrl,
        @Bindable(defaultValue = "60s") Duration timeout,
        @Bindable(defaultValue = "3") int maxRetries,
        @Bindable(defaultValue = "1s") Duration retryBackoff,
        @Nullable Double temperature,
        @Nullable Integer maxTokens) {
}
