package io.fleetprov.audit.service;

import io.fleetprov.testing.quarkus.PostgresTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The anomaly queries' tests' database: {@link AuditRows#logWithRogueThing} with {@link #DEVICES} devices, started
 * once per test class.
 */
abstract class RogueThingLogTest {

    static final int DEVICES = 1000;

    static PostgresTestResource postgres;
    static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = AuditRows.logWithRogueThing(DEVICES);
        dataSource = postgres.dataSource();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }
}
