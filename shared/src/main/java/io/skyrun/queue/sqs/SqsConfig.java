package io.skyrun.queue.sqs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The SQS run queue.
 *
 * @param queueUrl    URL of the run queue ({@code SKYRUN_QUEUE_URL})
 * @param maxReceives receives after which the worker gives a message up: it marks the run failed and lets
 *                    the redrive policy move the message to the dead-letter queue (match the queue's maxReceiveCount)
 */
@ConfigurationProperties("skyrun.sqs")
public record SqsConfig(@Nullable String queueUrl, @Bindable(defaultValue = "5") int maxReceives) {
}
