package io.skyrun.trigger;

import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.AwsConfig;
import io.micronaut.web.router.Router;
import io.skyrun.aws.FunctionContextBuilder;
import io.skyrun.aws.SnapStartHooks;
import io.skyrun.schedule.ScheduleFires;
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
    void theTriggerHandlersContextBuildsOnlyWhatItUsesWhereMicronautsLambdaContextBuildsEverything() {
        ScheduleTriggerHandler handler = new ScheduleTriggerHandler();
        try (ApplicationContext eager = FunctionContextBuilder.lambda().environments("test").start()) {
            ApplicationContext trigger = handler.getApplicationContext();
            assertThat(trigger.getEnvironment().getActiveNames()).contains("function", "lambda");
            assertThat(trigger.getActiveBeanRegistrations(Router.class)).isEmpty();
            assertThat(trigger.getActiveBeanRegistrations(SnapStartHooks.class)).hasSize(1);
            assertThat(trigger.getActiveBeanRegistrations(ScheduleFires.class)).hasSize(1);
            assertThat(eager.getActiveBeanRegistrations(Router.class)).isNotEmpty();
        } finally {
            handler.close();
        }
    }
}
