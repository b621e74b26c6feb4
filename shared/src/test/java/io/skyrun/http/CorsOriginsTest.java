package io.skyrun.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code SKYRUN_CORS_ORIGINS} limits cross-origin access to the listed origins (pass-through on, as when deployed). */
@MicronautTest(transactional = false)
@Property(name = "skyrun.cors.origins", value = "https://app.example.com, https://admin.example.com")
@Property(name = "micronaut.server.cors.localhost-pass-through", value = "true")
class CorsOriginsTest {
    @Inject
    EmbeddedServer server;

    @Test
    void aListedOriginIsAllowed() {
        Api.Response response = new Api(server.getURI()).send("GET", "/health", null, null,
                "Origin", "https://admin.example.com");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example.com");
    }

    @Test
    void anUnlistedOriginGetsNoCorsHeaders() {
        Api.Response response = new Api(server.getURI()).send("GET", "/health", null, null,
                "Origin", "https://other.example.com");

        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }
}
