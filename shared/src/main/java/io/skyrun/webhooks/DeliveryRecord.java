package io.skyrun.webhooks;

import java.time.Instant;

/**
 * One attempt to deliver a run's webhook event.
 *
 * @param url        the webhook URL without its query string (which often carries a token)
 * @param statusCode the receiver's answer, or null when there was none
 * @param error      why the attempt failed, or null when it was delivered
 */
public record DeliveryRecord(String id, String ownerId, String runId, String goalId, String event, String url,
                             int attempt, Integer statusCode, String error, long durationMs, Instant createdAt) {
}
