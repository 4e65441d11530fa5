package io.fleetprov.audit;

import io.fleetprov.audit.store.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts audit-service. With {@code fleetprov.embedded-db.dir} set (a system property, or the environment
 * variable {@code FLEETPROV_EMBEDDED_DB_DIR}) it first starts an embedded PostgreSQL keeping its data there —
 * the local run, with signed checkpoints in the sibling directory {@code <dir>-checkpoints} unless
 * {@code audit.checkpoint.directory} says otherwise; otherwise it connects to the JDBC URL it is given.
 */
@QuarkusMain
public final class AuditServiceMain {

    private static final String CHECKPOINT_DIRECTORY = "audit.checkpoint.directory";

    private AuditServiceMain() {}

    public static void main(String... args) {
        String dir = System.getProperty("fleetprov.embedded-db.dir", System.getenv("FLEETPROV_EMBEDDED_DB_DIR"));
        if (dir != null && !dir.isBlank()) {
            int port = Integer.parseInt(System.getProperty(
                    "fleetprov.embedded-db.port", System.getenv().getOrDefault("FLEETPROV_EMBEDDED_DB_PORT", "0")));
            EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(dir), port);
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
            for (Map.Entry<String, String> p : db.properties().entrySet()) {
                System.setProperty(p.getKey(), p.getValue());
            }
            if (System.getProperty(CHECKPOINT_DIRECTORY) == null
                    && System.getenv("AUDIT_CHECKPOINT_DIRECTORY") == null) {
                // Anchored outside the database by default here too: a sibling of its data directory.
                Path data = Path.of(dir).toAbsolutePath();
                System.setProperty(
                        CHECKPOINT_DIRECTORY,
                        data.resolveSibling(data.getFileName() + "-checkpoints").toString());
            }
        }
        Quarkus.run(args);
    }
}
