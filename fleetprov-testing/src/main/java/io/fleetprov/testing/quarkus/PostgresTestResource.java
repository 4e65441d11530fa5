package io.fleetprov.testing.quarkus;

import io.fleetprov.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 14 from Maven artifacts, fresh for the test run, which tests may stop and restart
 * ({@link InjectDatabase}). Init arguments: {@code database} (default {@code postgres}) and {@code appRole}, the
 * login role the service uses (default: the superuser).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> args = Map.of();
    private TestDatabase database;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            database = TestDatabase.start(
                    Files.createTempDirectory("test-pg"),
                    0,
                    args.getOrDefault("database", "postgres"),
                    args.get("appRole"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return database.properties();
    }

    /**
     * Starts a database with the module's Flyway migrations ({@code classpath:db/migration}, {@code appRole} the
     * superuser) applied, for tests that use a store without Quarkus; {@link #dataSource()} reaches it.
     */
    public static PostgresTestResource migrated() {
        PostgresTestResource postgres = new PostgresTestResource();
        postgres.start();
        Flyway.configure()
                .dataSource(postgres.dataSource())
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", TestDatabase.SUPERUSER))
                .load()
                .migrate();
        return postgres;
    }

    /** A data source on the started database with the service's login. */
    public PGSimpleDataSource dataSource() {
        Map<String, String> properties = database.properties();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(properties.get("quarkus.datasource.jdbc.url"));
        dataSource.setUser(properties.get("quarkus.datasource.username"));
        dataSource.setPassword(properties.get("quarkus.datasource.password"));
        return dataSource;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                database, new TestInjector.AnnotatedAndMatchesType(InjectDatabase.class, TestDatabase.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
