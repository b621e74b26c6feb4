package io.skyrun.trigger;

import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.AwsConfig;
import io.skyrun.aws.FunctionContextBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedule-trigger Lambda's own defaults (application-function.yml in its jar). */
class TriggerSettingsTest {
    @Test
    void theLambdaTriggerBuildsItsAwsHttpClientFromStart() {
        try (ApplicationContext lambda = FunctionContextBuilder.plain("function", "test").start();
             ApplicationContext local = ApplicationContext.builder().environments("test").start()) {
            assertThat(lambda.getBean(AwsConfig.class).httpClientAtStart()).isTrue();
            assertThat(local.getBean(AwsConfig.class).httpClientAtStart()).isFalse();
        }
    }
}
