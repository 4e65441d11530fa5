package io.fleetprov.claims;

import io.fleetprov.claims.store.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service. With {@code FLEETPROV_EMBEDDED_DB=DIR} (local runs) it first starts a real PostgreSQL from
 * Maven artifacts with its data in DIR and points the datasource at it; production sets a JDBC URL instead.
 */
@QuarkusMain
public final class ClaimServiceMain {

    private ClaimServiceMain() {}

    public static void main(String... args) {
        String dir = System.getenv("FLEETPROV_EMBEDDED_DB");
        if (dir != null && !dir.isBlank()) {
            EmbeddedDatabase.start(java.nio.file.Path.of(dir)).exportAsSystemProperties();
        }
        Quarkus.run(args);
    }
}
