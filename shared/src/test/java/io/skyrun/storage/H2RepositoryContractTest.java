package io.skyrun.storage;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** The repository contract on the default embedded H2 database. */
@MicronautTest(transactional = false)
class H2RepositoryContractTest extends RepositoryContract {
}
