package io.skyrun.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With localhost pass-through on, a loopback server answers pages from any origin, as a deployed one does. */
@MicronautTest(transactional = false)
@Property(name = "micronaut.server.cors.localhost-pass-through", value = "true")
class CorsPassThroughTest {
    @Inject
    EmbeddedServer server;

    @Test
    void aPreflightFromAnyOriginIsAllowed() {
        Api.Response response = new Api(server.getURI()).send("OPTIONS", "/health", null, null,
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    }
}
