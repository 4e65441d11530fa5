package io.fleetprov.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL started from Maven artifacts, for tests: one database, its owner the superuser
 * {@code postgres} (Flyway), and the login role the service uses — {@code postgres} too unless an application
 * role is named. The data directory survives {@link #stop()}, so the same database can be started again on the
 * same port.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final Path dataDir;
    private final String database;
    private final String appRole;
    private EmbeddedPostgres postgres;

    private TestDatabase(Path dataDir, String database, String appRole) {
        this.dataDir = dataDir;
        this.database = database;
        this.appRole = appRole;
    }

    /**
     * Starts on {@code port} (0: a free one), creating {@code database} and, unless it is null, the login role
     * {@code appRole} (password: its name) on first start.
     */
    public static TestDatabase start(Path dataDir, int port, String database, String appRole) {
        TestDatabase db = new TestDatabase(dataDir, database, appRole);
        db.startServer(port);
        db.prepare();
        return db;
    }

    private void startServer(int onPort) {
        try {
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
            if (onPort != 0) {
                builder.setPort(onPort);
            }
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    private void prepare() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            if (appRole != null) {
                try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + appRole + "'")) {
                    if (!rs.next()) {
                        s.execute("create role " + appRole + " login password '" + appRole + "'");
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded database", e);
        }
        // PostgreSQL 14 lets every role create tables in public; the service's role must not own anything.
        try (Connection c = superuser();
                Statement s = c.createStatement()) {
            s.execute("revoke create on schema public from public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded database", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The properties that point a Quarkus service (datasource and Flyway) at this database. */
    public Map<String, String> properties() {
        String user = appRole == null ? SUPERUSER : appRole;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.datasource.jdbc.url", jdbcUrl());
        p.put("quarkus.datasource.username", user);
        p.put("quarkus.datasource.password", user);
        p.put("quarkus.flyway.username", SUPERUSER);
        p.put("quarkus.flyway.password", SUPERUSER); // trust authentication: any password passes
        return p;
    }

    /** A connection as the superuser, which owns the tables. */
    public Connection superuser() throws SQLException {
        return postgres.getDatabase(SUPERUSER, database).getConnection();
    }

    /** A connection as the role the service uses. */
    public Connection app() throws SQLException {
        return postgres.getDatabase(appRole == null ? SUPERUSER : appRole, database)
                .getConnection();
    }

    /** Stops the server and keeps its data. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts the stopped server again with the same data on the same port. */
    public synchronized void restart() {
        int was = port();
        startServer(was);
    }

    @Override
    public void close() {
        stop();
    }
}
