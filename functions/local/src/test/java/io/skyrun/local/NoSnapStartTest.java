package io.skyrun.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SnapStart restore hooks belong to the Lambdas: the local server carries no CRaC API and loads none. */
@MicronautTest(transactional = false)
class NoSnapStartTest {
    @Inject
    ApplicationContext context;

    @Test
    void theLocalServerHasNeitherTheCracApiNorTheSnapStartHooks() {
        assertThatThrownBy(() -> Class.forName("org.crac.Resource")).isInstanceOf(ClassNotFoundException.class);
        // so the hooks' class cannot even be loaded, and the server started without them
        assertThatThrownBy(() -> Class.forName("io.skyrun.aws.SnapStartHooks")).isInstanceOf(NoClassDefFoundError.class);
        assertThat(context.isRunning()).isTrue();
    }
}
