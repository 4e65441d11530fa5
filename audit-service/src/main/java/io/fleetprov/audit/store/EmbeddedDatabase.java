package io.fleetprov.audit.store;

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
 * A real PostgreSQL started from Maven artifacts, for tests and local runs: a database {@code audit}, its owner
 * the superuser {@code postgres} (Flyway), and the login role {@code audit_app} the service uses. The data
 * directory survives {@link #stop()}, so the same database can be started again on the same port.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "audit";
    public static final String APP_ROLE = "audit_app";

    private final Path dataDir;
    private EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts on {@code port} (0: a free one), creating the database and role on first start. */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        EmbeddedDatabase db = new EmbeddedDatabase(dataDir);
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
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + APP_ROLE + "'")) {
                if (!rs.next()) {
                    s.execute("create role " + APP_ROLE + " login password '" + APP_ROLE + "'");
                }
            }
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + DATABASE);
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
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** The properties that point the service at this database. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fleetprov.db.url", jdbcUrl());
        p.put("fleetprov.db.username", APP_ROLE);
        p.put("fleetprov.db.password", APP_ROLE);
        p.put("fleetprov.db.owner-username", "postgres");
        p.put("fleetprov.db.owner-password", "postgres"); // trust authentication: any password passes
        return p;
    }

    /** A connection as the superuser, which owns the tables. */
    public Connection superuser() throws SQLException {
        return postgres.getDatabase("postgres", DATABASE).getConnection();
    }

    /** A connection as the role the service uses. */
    public Connection app() throws SQLException {
        return postgres.getDatabase(APP_ROLE, DATABASE).getConnection();
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
