package io.fleetprov.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL, started from Maven artifacts, with one database per service. */
final class Database implements AutoCloseable {

    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private Database(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with the given databases and login roles (name → password). */
    static Database start(Path dataDir, java.util.Map<String, String> roles, String... databases) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                for (String database : databases) {
                    statement.execute("CREATE DATABASE " + database);
                }
                for (var role : roles.entrySet()) {
                    statement.execute("CREATE ROLE " + role.getKey() + " LOGIN PASSWORD '"
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

    String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
