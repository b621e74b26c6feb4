package io.skyrun.aws;

import io.micronaut.context.ApplicationContext;
import io.skyrun.outputs.FileStore;
import io.skyrun.queue.RunQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Lambda's context creates every singleton at start; the S3, SQS and EventBridge clients are not among what it
 * builds then, only the DynamoDB client. They are built by the first call that needs them, once, and closed with
 * the context.
 */
class LazyClientsTest {

    /** The deployed stack's settings; nothing listens at the endpoints. */
    private static Map<String, Object> stack() {
        Map<String, Object> properties = UnreachableAws.queueAndScheduler();
        properties.put("skyrun.outputs.files", "s3");
        properties.put("skyrun.outputs.files-bucket", "skyrun-files");
        properties.put("skyrun.aws.s3-endpoint", "http://127.0.0.1:1");
        properties.put("skyrun.aws.attempt-timeout", "1s");
        properties.put("skyrun.aws.call-timeout", "2s");
        return properties;
    }

    @Test
    void anEagerLambdaStartBuildsTheDynamoDbClientAndNoClientOfARarePath() {
        try (ApplicationContext context = ApplicationContext.builder().properties(stack()).environments("test")
                .eagerInitSingletons(true).start()) {
            assertThat(context.getActiveBeanRegistrations(DynamoDbClient.class)).hasSize(1);
            List<LazyClient<?>> lazy = context.getBean(AwsClientFactory.class).lazyClients();
            assertThat(lazy).hasSize(3).noneMatch(LazyClient::isBuilt);

            // the first run queued builds the SQS client (the call itself fails: nothing listens)
            assertThatThrownBy(() -> context.getBean(RunQueue.class).enqueue("run_1")).isInstanceOf(RuntimeException.class);
            assertThat(lazy).filteredOn(LazyClient::isBuilt).singleElement()
                    .satisfies(c -> assertThat(c.get()).isInstanceOf(SqsClient.class));

            // the first file read builds the S3 client
            assertThatThrownBy(() -> context.getBean(FileStore.class).read("default", "goal_1", "run_1", "a.md"))
                    .isInstanceOf(RuntimeException.class);
            assertThat(lazy.stream().filter(LazyClient::isBuilt).map(LazyClient::get).toList()).hasSize(2)
                    .anyMatch(SqsClient.class::isInstance).anyMatch(S3Client.class::isInstance);

            // EventBridge is left for the first schedule change; SnapStart priming builds it too
            context.getBean(AwsClientFactory.class).buildLazyClients();
            assertThat(lazy).allMatch(LazyClient::isBuilt);
            assertThat(lazy.stream().map(LazyClient::get).toList()).anyMatch(EventBridgeClient.class::isInstance);
        }
    }

    @Test
    void aLazyClientIsBuiltOnceAndClosedWithTheContext() {
        AtomicInteger built = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        LazyClient<SdkAutoCloseable> client;
        try (ApplicationContext context = ApplicationContext.builder().properties(stack()).environments("test").start()) {
            client = context.getBean(AwsClientFactory.class).lazy(() -> {
                built.incrementAndGet();
                return closed::incrementAndGet;
            });
            assertThat(client.isBuilt()).isFalse();
            assertThat(client.get()).isSameAs(client.get());
            assertThat(built).hasValue(1);
            assertThat(closed).hasValue(0);
        }
        assertThat(closed).hasValue(1);
        assertThat(client.isBuilt()).isFalse();
        // nothing builds a client behind a closed context's back
        assertThatThrownBy(client::get).isInstanceOf(IllegalStateException.class);
        assertThat(built).hasValue(1);
    }

    @Test
    void anEventBridgeSchedulerThatCannotBeBuiltLeavesNoClientBehind() {
        Map<String, Object> properties = stack();
        properties.remove("skyrun.eventbridge.dead-letter-arn");
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).environments("test")
                .start()) {
            AwsClientFactory aws = context.getBean(AwsClientFactory.class);
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> context.getBean(io.skyrun.schedule.Scheduler.class))
                        .hasStackTraceContaining("SKYRUN_SCHEDULE_DLQ_ARN");
            }
            assertThat(aws.lazyClients()).noneMatch(c -> c.get() instanceof EventBridgeClient);
        }
    }
}
