package io.skyrun.storage;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.skyrun.testing.DynamoLocal;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

/** The repository contract on DynamoDB Local (in-process, real HTTP), through the same adapter code as on AWS. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoRepositoryContractTest extends RepositoryContract implements TestPropertyProvider {
    @Override
    public Map<String, String> getProperties() {
        return DynamoLocal.properties();
    }
}
