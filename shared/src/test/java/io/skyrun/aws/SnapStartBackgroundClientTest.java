package io.skyrun.aws;

import io.micronaut.context.ApplicationContext;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.Goals;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SnapStart restore where the HTTP client is built in the background from start, as in the run-worker and
 * the schedule-trigger ({@code skyrun.aws.http-client-at-start}): the restored copy reaches DynamoDB through a
 * client built after the restore.
 */
class SnapStartBackgroundClientTest {
    @Test
    void afterRestoreTheBackgroundBuiltClientIsReplacedAndDynamoDbIsStillReached() {
        Map<String, Object> properties = new HashMap<>(DynamoLocal.properties());
        properties.put("skyrun.aws.http-client-at-start", true);
        try (ApplicationContext context = ApplicationContext.builder().environments("test").properties(properties)
                .start()) {
            assertThat(context.getBean(AwsConfig.class).httpClientAtStart()).isTrue();
            GoalService goals = context.getBean(GoalService.class);
            GoalRequests requests = context.getBean(GoalRequests.class);
            RenewableHttpClient httpClient = context.getBean(RenewableHttpClient.class);
            SnapStartHooks hooks = context.getBean(SnapStartHooks.class);
            Goal beforeSnapshot = Goals.create(goals, requests, "{\"objective\":\"Stored before the snapshot\"}");
            SdkHttpClient snapshotted = httpClient.current();

            // WHEN Lambda snapshots and restores (the hooks, as its runtime calls them)
            hooks.beforeCheckpoint(null);
            hooks.afterRestore(null);

            // THEN requests go through another client, and both reads and writes reach DynamoDB
            SdkHttpClient restored = httpClient.current();
            assertThat(restored).isNotSameAs(snapshotted);
            assertThat(goals.get("default", beforeSnapshot.id()).objective()).isEqualTo("Stored before the snapshot");
            Goal afterRestore = Goals.create(goals, requests, "{\"objective\":\"Stored after the restore\"}");
            assertThat(goals.get("default", afterRestore.id()).objective()).isEqualTo("Stored after the restore");
            assertThat(httpClient.current()).isSameAs(restored);
        }
    }
}
