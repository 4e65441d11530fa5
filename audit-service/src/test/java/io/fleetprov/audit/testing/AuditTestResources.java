package io.fleetprov.audit.testing;

import io.fleetprov.emulator.quarkus.IotEmulatorTestResource;
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
@QuarkusTestResource(EmbeddedDatabaseTestResource.class)
public final class AuditTestResources {

    private AuditTestResources() {}
}
