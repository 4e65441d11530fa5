package io.fleetprov.audit.testing;

import io.fleetprov.testing.quarkus.IotEmulatorTestResource;
import io.fleetprov.testing.quarkus.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The external dependencies every {@code @QuarkusTest} here shares (one application start): the emulator with a
 * service identity for audit-service and its Cognito user pool (seeded), and PostgreSQL.
 */
@QuarkusTestResource(
        value = IotEmulatorTestResource.class,
        initArgs = {
            @ResourceArg(name = "seed", value = "emulator-seed.json"),
            @ResourceArg(name = "serviceIdentity", value = "audit-service")
        })
@QuarkusTestResource(
        value = PostgresTestResource.class,
        initArgs = {
            @ResourceArg(name = "database", value = AuditTestResources.DATABASE),
            @ResourceArg(name = "appRole", value = AuditTestResources.APP_ROLE)
        })
public final class AuditTestResources {

    /** The service writes through a role that may only read and insert; Flyway migrates as the owner. */
    public static final String DATABASE = "audit";

    public static final String APP_ROLE = "audit_app";

    private AuditTestResources() {}
}
