package io.fleetprov.claims;

import io.quarkus.test.common.QuarkusTestResource;

/** One PostgreSQL and one emulator for the whole test run, so the application starts once. */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(EmulatorTestResource.class)
final class TestResources {

    private TestResources() {}
}
