package io.skyrun.aws;

import io.micronaut.context.ApplicationContext;
import io.skyrun.goals.GoalService;
import org.junit.jupiter.api.Test;
import io.skyrun.runs.RunService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Before the snapshot the hooks build what a first request would build, without calling AWS. */
class SnapStartPrimingTest {
    @Test
    void beforeCheckpointCreatesTheServicesAndSdkClientsAFirstRequestNeeds() {
        // a Lambda's configuration, where nothing listens: priming that called AWS would fail or wait
        Map<String, Object> properties = UnreachableAws.queueAndScheduler();
        properties.put("skyrun.dynamodb.create-table", "false");
        properties.put("skyrun.aws.dynamodb-endpoint", "http://127.0.0.1:1");
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).environments("test")
                .start()) {
            List<Class<?>> firstRequestNeeds = List.of(GoalService.class, RunService.class, DynamoDbClient.class);
            assertThat(firstRequestNeeds).allSatisfy(type ->
                    assertThat(context.getActiveBeanRegistrations(type)).as(type.getName()).isEmpty());
            // the clients of rare paths exist only as lazy handles until then
            List<LazyClient<?>> lazy = context.getBean(AwsClientFactory.class).lazyClients();
            assertThat(lazy).isEmpty();

            context.getBean(SnapStartHooks.class).beforeCheckpoint(null);

            assertThat(firstRequestNeeds).allSatisfy(type ->
                    assertThat(context.getActiveBeanRegistrations(type)).as(type.getName()).hasSize(1));
            lazy = context.getBean(AwsClientFactory.class).lazyClients();
            assertThat(lazy).hasSize(2).allMatch(LazyClient::isBuilt);
            assertThat(lazy.stream().map(LazyClient::get).toList())
                    .anyMatch(SqsClient.class::isInstance).anyMatch(EventBridgeClient.class::isInstance);
        }
    }
}
