package io.skyrun.queue.sqs;

import io.micronaut.context.annotation.Requires;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.aws.AwsConfig;
import io.skyrun.aws.LazyClient;
import io.skyrun.queue.RunQueue;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The AWS run queue: one SQS message per run, whose body is the run id and nothing else. */
@Singleton
@Requires(property = "skyrun.queue", value = "sqs")
public class SqsRunQueue implements RunQueue {
    // built on the first run queued: API requests that queue nothing never load the SQS client
    private final LazyClient<SqsClient> sqs;
    private final String queueUrl;

    public SqsRunQueue(AwsClientFactory aws, AwsConfig awsConfig, SqsConfig config) {
        if (config.queueUrl() == null || config.queueUrl().isBlank()) {
            throw new IllegalStateException("SKYRUN_QUEUE_URL must be set when SKYRUN_QUEUE=sqs");
        }
        this.sqs = aws.lazy(() -> aws.configure(SqsClient.builder(), awsConfig.sqsEndpoint()).build());
        this.queueUrl = config.queueUrl();
    }

    @Override
    public void enqueue(String runId) {
        sqs.get().sendMessage(b -> b.queueUrl(queueUrl).messageBody(runId));
    }
}
