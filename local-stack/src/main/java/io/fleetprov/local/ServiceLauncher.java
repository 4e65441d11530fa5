package io.fleetprov.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs one packaged service on a local PostgreSQL, for {@code ./fleetprov claim-service} and
 * {@code ./fleetprov audit-service}: starts PostgreSQL from Maven artifacts on the data it kept last time, then the
 * service as a child JVM told where its database is, and stops PostgreSQL when the service ends. The services
 * themselves only ever take a JDBC URL, as in production.
 */
@Command(
        name = "service-launcher",
        mixinStandardHelpOptions = true,
        description = "Runs a service (the java arguments after --) on an embedded PostgreSQL.")
public final class ServiceLauncher implements Callable<Integer> {

    @Option(names = "--db-dir", required = true, description = "PostgreSQL data, kept across runs.")
    Path dataDir;

    @Option(names = "--db-port", defaultValue = "0", description = "PostgreSQL port (0: a free one).")
    int port;

    @Option(names = "--database", defaultValue = "postgres", description = "The service's database.")
    String database;

    @Option(
            names = "--app-role",
            description = "A login role the service uses instead of the superuser, which then only migrates.")
    String appRole;

    @Parameters(description = "The service's java arguments, e.g. -jar quarkus-run.jar.")
    List<String> javaArguments = List.of();

    public static void main(String... args) {
        System.exit(new CommandLine(new ServiceLauncher()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        // Local data only, on trust authentication: the role's password is its name.
        Map<String, String> roles = appRole == null ? Map.of() : Map.of(appRole, appRole);
        Database db = Database.reopen(dataDir, port, roles, database);
        String user = appRole == null ? Database.USER : appRole;
        if (appRole != null) {
            db.restrictPublicSchema(database);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        // Environment, not -D: the service's own -D options still win, and passwords stay out of the process list.
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrlForAnyUser(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", user);
        env.put("QUARKUS_FLYWAY_USERNAME", Database.USER);
        env.put("QUARKUS_FLYWAY_PASSWORD", Database.USER);
        Process service = builder.start();
        Thread stop = new Thread(
                () -> {
                    service.destroy();
                    try {
                        if (!service.waitFor(20, TimeUnit.SECONDS)) {
                            service.destroyForcibly();
                        }
                        db.close();
                    } catch (Exception e) {
                        System.err.println("fleetprov: stopping PostgreSQL failed: " + e.getMessage());
                    }
                },
                "service-launcher-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int exit = service.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        db.close();
        return exit;
    }
}
