package io.skyrun.agent.tools.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the {@code web_search} backend.
 *
 * @param provider   {@code none} (default), {@code searxng}, {@code brave} or {@code tavily} ({@code SKYRUN_SEARCH_PROVIDER})
 * @param url        base URL of the backend ({@code SKYRUN_SEARCH_URL}): required for searxng, optional for brave
 *                   and tavily (their public endpoints by default)
 * @param apiKey     key of brave or tavily ({@code SKYRUN_SEARCH_API_KEY}); never logged or shown
 * @param maxResults most results one call returns
 * @param timeout    whole time of one attempt
 * @param attempts   attempts per call; 429 and 5xx answers and connection failures are tried again
 * @param backoff    wait before the second attempt; doubles after each failure
 * @param maxBytes   most bytes read from one backend response
 */
@ConfigurationProperties("skyrun.search")
public record SearchConfig(
        @Bindable(defaultValue = "none") String provider,
        @Nullable String url,
        @Nullable String apiKey,
        @Bindable(defaultValue = "5") int maxResults,
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "3") int attempts,
        @Bindable(defaultValue = "500ms") Duration backoff,
        @Bindable(defaultValue = "1048576") int maxBytes) {

    // The generated toString would print the key into any log line that prints the configuration.
    @Override
    public String toString() {
        return "SearchConfig[provider=" + provider + ", url=" + url + ", apiKey="
                + (apiKey == null || apiKey.isBlank() ? "(none)" : "(set)") + ", maxResults=" + maxResults
                + ", timeout=" + timeout + ", attempts=" + attempts + ", backoff=" + backoff
                + ", maxBytes=" + maxBytes + "]";
    }
}
