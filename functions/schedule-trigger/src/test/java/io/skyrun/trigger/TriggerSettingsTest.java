package io.skyrun.trigger;

import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.AwsConfig;
import io.micronaut.web.router.Router;
import io.skyrun.aws.FunctionContextBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedule-trigger Lambda's own defaults (application-function.yml in its jar). */
class TriggerSettingsTest {
    @Test
    void theLambdaTriggerBuildsItsAwsHttpClientFromStart() {
        try (ApplicationContext lambda = FunctionContextBuilder.onDemand("function", "test").start();
             ApplicationContext local = ApplicationContext.builder().environments("test").start()) {
            assertThat(lambda.getBean(AwsConfig.class).httpClientAtStart()).isTrue();
            assertThat(local.getBean(AwsConfig.class).httpClientAtStart()).isFalse();
        }
    }

    @Test
    void theTriggersContextBuildsOnlyWhatItUsesWhereMicronautsLambdaContextBuildsEverything() {
        try (ApplicationContext trigger = FunctionContextBuilder.onDemand("function", "lambda", "test").start();
             ApplicationContext eager = FunctionContextBuilder.lambda().environments("test").start()) {
            assertThat(trigger.getActiveBeanRegistrations(Router.class)).isEmpty();
            assertThat(eager.getActiveBeanRegistrations(Router.class)).isNotEmpty();
        }
    }
}
