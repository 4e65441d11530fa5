package io.fleetprov.audit.testing;

import io.fleetprov.audit.store.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A real PostgreSQL 14 for the tests, which may stop and restart it ({@link InjectDatabase}). */
public class EmbeddedDatabaseTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            database = EmbeddedDatabase.start(Files.createTempDirectory("audit-pg"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return database.properties();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                database, new TestInjector.AnnotatedAndMatchesType(InjectDatabase.class, EmbeddedDatabase.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
