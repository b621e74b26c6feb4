package io.skyrun.webhooks;

/**
 * The outcome of delivering one webhook event.
 *
 * @param delivered  whether the receiver answered 2xx
 * @param attempts   how many HTTP requests were made; 0 when the guard refused the URL
 * @param lastStatus the status of the last attempt, or null when it got no response
 * @param lastError  why the last attempt failed, or null when delivered
 */
public record WebhookDelivery(boolean delivered, int attempts, Integer lastStatus, String lastError) {
}
