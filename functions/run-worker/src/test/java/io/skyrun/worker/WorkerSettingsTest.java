package io.skyrun.worker;

import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.AwsConfig;
import io.skyrun.aws.FunctionContextBuilder;
import io.skyrun.http.OutboundConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The run-worker Lambda's own defaults (application-function.yml in its jar). */
class WorkerSettingsTest {
    @Test
    void theLambdaWorkerDeliversWebhooksBeforeItReturns() {
        try (ApplicationContext lambda = ApplicationContext.builder().environments("function", "test").start();
             ApplicationContext local = ApplicationContext.builder().environments("test").start();
             ApplicationContext overridden = ApplicationContext.builder().environments("function", "test")
                     .properties(Map.of("skyrun.outbound.webhook-inline", false)).start()) {
            assertThat(lambda.getBean(OutboundConfig.class).webhookInline()).isTrue();
            assertThat(local.getBean(OutboundConfig.class).webhookInline()).isFalse();
            assertThat(overridden.getBean(OutboundConfig.class).webhookInline()).isFalse();
        }
    }

    @Test
    void theLambdaWorkerBuildsItsAwsHttpClientFromStart() {
        try (ApplicationContext lambda = FunctionContextBuilder.onDemand("function", "test").start();
             ApplicationContext local = ApplicationContext.builder().environments("test").start()) {
            assertThat(lambda.getBean(AwsConfig.class).httpClientAtStart()).isTrue();
            assertThat(local.getBean(AwsConfig.class).httpClientAtStart()).isFalse();
        }
    }
}
