package io.fleetprov.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A real PostgreSQL, started from Maven artifacts, with one database per service. */
final class Database implements AutoCloseable {

    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private Database(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts an empty PostgreSQL on a free port with the given databases and login roles (name → password). */
    static Database start(Path dataDir, Map<String, String> roles, String... databases) {
        return start(
                EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true), roles, databases);
    }

    /**
     * Starts PostgreSQL on the data it left in {@code dataDir} last time, on {@code port} (0: a free one), creating
     * the databases and roles that are missing.
     */
    static Database reopen(Path dataDir, int port, Map<String, String> roles, String... databases) {
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
        if (port != 0) {
            builder.setPort(port);
        }
        return start(builder, roles, databases);
    }

    private static Database start(EmbeddedPostgres.Builder builder, Map<String, String> roles, String... databases) {
        try {
            EmbeddedPostgres postgres = builder.start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                for (String database : databases) {
                    if (!exists(connection, "select 1 from pg_database where datname = ?", database)) {
                        statement.execute("CREATE DATABASE " + database);
                    }
                }
                for (var role : roles.entrySet()) {
                    String verb = exists(connection, "select 1 from pg_roles where rolname = ?", role.getKey())
                            ? "ALTER"
                            : "CREATE";
                    statement.execute(verb + " ROLE " + role.getKey() + " LOGIN PASSWORD '"
                            + role.getValue().replace("'", "''") + "'");
                }
            }
            return new Database(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the service databases", e);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** A JDBC URL that leaves the user to the connection's properties, for services that log in as their role. */
    String jdbcUrlForAnyUser(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    /**
     * PostgreSQL 14 lets every role create tables in {@code public}; a service's own role must not own anything,
     * so that only the owner's migrations shape the schema.
     */
    void restrictPublicSchema(String database) {
        try (Connection connection = postgres.getDatabase(USER, database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot restrict the public schema of " + database, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
