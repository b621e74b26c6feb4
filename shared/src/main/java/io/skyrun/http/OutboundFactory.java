package io.skyrun.http;

import io.micronaut.context.annotation.Factory;
import io.skyrun.webhooks.WebhookSender;
import jakarta.inject.Singleton;

/** Builds the outbound HTTP pieces from their typed configuration. */
@Factory
public class OutboundFactory {
    @Singleton
    OutboundGuard outboundGuard(OutboundConfig config) {
        return new OutboundGuard(config.allowPrivate());
    }

    @Singleton
    OutboundClient outboundClient(OutboundGuard guard, OutboundConfig config) {
        return new OutboundClient(guard, config.connectTimeout());
    }

    @Singleton
    PageFetcher pageFetcher(OutboundClient client, OutboundConfig config) {
        return new PageFetcher(client, config.requestTimeout(), config.scrapeMaxBytes(), config.scrapeMaxRedirects());
    }

    @Singleton
    WebhookSender webhookSender(OutboundGuard guard, OutboundConfig config) {
        return new WebhookSender(guard, config.connectTimeout(), config.requestTimeout(), config.webhookAttempts(),
                config.webhookBackoff(), 2.0);
    }
}
