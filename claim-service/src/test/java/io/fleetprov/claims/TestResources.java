package io.fleetprov.claims;

import io.fleetprov.testing.quarkus.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** One PostgreSQL and one emulator for the whole test run, so the application starts once. */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(ClaimServiceEmulator.class)
final class TestResources {

    private TestResources() {}
}
