package io.skyrun.aws;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.testing.Api;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.Goals;
import io.skyrun.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapStart hooks on a real application context on DynamoDB Local: the test plays Lambda, calling
 * beforeCheckpoint and afterRestore as the runtime does around a snapshot.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "skyrun.rate-limit.per-minute", value = "2")
class SnapStartHooksTest implements TestPropertyProvider {
    // static: @MockBean factories may be called on another test instance than the running one
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T09:00:00Z"));

    @Inject
    SnapStartHooks hooks;
    @Inject
    RenewableHttpClient httpClient;
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    EmbeddedServer server;

    @MockBean(Clock.class)
    Clock clock() {
        return clock;
    }

    @Override
    public Map<String, String> getProperties() {
        return DynamoLocal.properties();
    }

    private void snapshotAndRestore() {
        hooks.beforeCheckpoint(null);
        hooks.afterRestore(null);
    }

    @Test
    void afterRestoreTheSdkClientsGoThroughANewHttpClientAndStillReachDynamoDb() {
        Goal beforeSnapshot = Goals.create(goals, requests, "{\"objective\":\"Stored before the snapshot\"}");
        SdkHttpClient snapshotted = httpClient.current();

        snapshotAndRestore();

        assertThat(httpClient.current()).isNotSameAs(snapshotted);
        assertThat(goals.get("default", beforeSnapshot.id()).objective()).isEqualTo("Stored before the snapshot");
        Goal afterRestore = Goals.create(goals, requests, "{\"objective\":\"Stored after the restore\"}");
        assertThat(goals.list("default", null, io.skyrun.paging.PageRequest.first(100)).items()).extracting(Goal::id).contains(beforeSnapshot.id(), afterRestore.id());
    }

    @Test
    void afterRestoreNoClientCarriesTheRequestCountsOfTheSnapshot() {
        clock.set(Instant.parse("2026-07-01T10:00:05Z"));
        Api api = new Api(server.getURI());
        api.get("/health");
        api.get("/health");
        assertThat(api.get("/health").status()).isEqualTo(429);

        snapshotAndRestore();

        // the same minute: only forgotten counts let the request through
        Api.Response afterRestore = api.get("/health");
        assertThat(afterRestore.status()).isEqualTo(200);
        assertThat(afterRestore.header("X-RateLimit-Remaining")).isEqualTo("1");
    }
}
