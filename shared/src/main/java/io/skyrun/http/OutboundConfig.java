package io.skyrun.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings for every outbound HTTP call (webhooks and agent tools).
 *
 * @param allowPrivate       allow private, loopback and link-local targets ({@code SKYRUN_OUTBOUND_ALLOW_PRIVATE})
 * @param connectTimeout     TCP connect timeout
 * @param requestTimeout     whole-response timeout
 * @param webhookAttempts    delivery attempts per webhook event
 * @param webhookBackoff     wait before the second attempt; doubles after each failure
 * @param scrapeMaxBytes     most bytes read from one page
 * @param scrapeMaxRedirects most redirects followed by one fetch
 * @param webhookInline      deliver webhooks on the calling thread instead of in the background
 */
@ConfigurationProperties("skyrun.outbound")
public record OutboundConfig(
        @Bindable(defaultValue = "false") boolean allowPrivate,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration requestTimeout,
        @Bindable(defaultValue = "4") int webhookAttempts,
        @Bindable(defaultValue = "1s") Duration webhookBackoff,
        @Bindable(defaultValue = "1048576") int scrapeMaxBytes,
        @Bindable(defaultValue = "5") int scrapeMaxRedirects,
        @Bindable(defaultValue = "false") boolean webhookInline) {
}
