package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fleetprov demo}: the whole trusted-user flow on this machine — emulator, PostgreSQL, claim-service,
 * audit-service — driven by the device simulator signing in as an installer, then a summary.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the whole system locally on embedded defaults (no AWS account, no Docker) and provisions",
            "devices through it as a trusted installer; prints a summary and stops, or keeps running."
        })
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--devices", defaultValue = "1000", description = "Devices to provision. Default: ${DEFAULT-VALUE}")
    int devices;

    @Option(
            names = "--rate",
            defaultValue = "10",
            description = "Device arrivals per second. Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--keep-running", description = "Keep the system running after the run (Ctrl-C stops it).")
    boolean keepRunning;

    @Option(
            names = "--state-dir",
            defaultValue = ".fleetprov",
            description = "Logs, data, report and stack.json go here. Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(names = "--root", hidden = true, defaultValue = "${sys:fleetprov.root:-.}")
    Path root;

    @Override
    public Integer call() throws Exception {
        Path state = stateDir.toAbsolutePath();
        System.out.println("fleetprov demo: starting the emulator, PostgreSQL, claim-service and audit-service ...");
        LocalStack stack = LocalStack.start(root.toAbsolutePath(), state);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.close();
                            stopped.countDown();
                        },
                        "demo-shutdown"));
        System.out.println("  claim-service " + stack.claimService().baseUrl() + ", audit-service "
                + stack.auditService().baseUrl() + ", emulator "
                + stack.emulator().httpUrl() + " / mqtts://"
                + stack.emulator().mqttEndpoint());
        System.out.println(
                "  installer app " + stack.installerAppUrl() + " (HTTPS: trust the CA in " + stack.httpsCaFile() + ")");

        Path runDir = state.resolve("run");
        int simulatorExit = runSimulator(stack, runDir);
        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        printSummary(stack, summary, runDir);

        if (keepRunning) {
            Path stackFile = writeStackFile(stack);
            System.out.println();
            System.out.println("Running. Installer: " + DemoSeed.INSTALLER + " / " + stack.installerPassword()
                    + ", auditor: " + DemoSeed.AUDITOR + " / " + stack.auditorPassword());
            System.out.println("Installer app: " + stack.installerAppUrl() + " (sign in as " + DemoSeed.INSTALLER
                    + "; trust the CA " + stack.httpsCaFile() + ")");
            System.out.println("Everything is in " + stackFile + ". Press Ctrl-C to stop.");
            stopped.await();
            return 0;
        }
        stack.close();
        return simulatorExit == 0 && summary.path("failed").asLong() == 0 ? 0 : 1;
    }

    private int runSimulator(LocalStack stack, Path runDir) throws IOException, InterruptedException {
        return TrustedUserSimulator.process(root, stack, devices, rate, runDir, List.of())
                .inheritIO()
                .start()
                .waitFor();
    }

    private void printSummary(LocalStack stack, JsonNode summary, Path runDir) throws Exception {
        AuditApi audit = AuditApi.asAuditor(stack);
        // Events reach audit-service asynchronously; give the last ones a moment before reading the chain.
        JsonNode integrity = audit.awaitStableIntegrity(Duration.ofSeconds(20));
        String exampleThing = stack.emulator().registry().things().list(null, null, null, false).stream()
                .map(t -> t.thingName())
                .findFirst()
                .orElse(null);

        System.out.println();
        System.out.println("==== fleetprov demo summary ====");
        System.out.printf(
                "devices provisioned : %d of %d (%d failed)%n",
                summary.path("provisioned").asLong(),
                summary.path("requested").asLong(),
                summary.path("failed").asLong());
        System.out.printf(
                "devices/s           : %.1f%n", summary.path("devicesPerSecond").asDouble());
        System.out.println("p99 per phase (ms)  : " + phaseP99(summary));
        System.out.println("audit events        : " + integrity.path("verified").asLong());
        System.out.println("integrity check     : "
                + (integrity.path("intact").asBoolean()
                        ? "chain intact (" + integrity.path("verified").asLong() + " links verified)"
                        : "BROKEN at " + integrity.path("firstBrokenLink")));
        if (exampleThing != null) {
            System.out.println("example provenance  : " + exampleThing);
            System.out.println(JSON.writeValueAsString(audit.provenance(exampleThing)));
        }
        System.out.println("report              : " + runDir.resolve("report.html"));
    }

    private static String phaseP99(JsonNode summary) {
        Map<String, Object> p99 = new LinkedHashMap<>();
        summary.path("phases")
                .properties()
                .iterator()
                .forEachRemaining(
                        e -> p99.put(e.getKey(), e.getValue().path("p99Ms").asLong()));
        return p99.toString();
    }

    private Path writeStackFile(LocalStack stack) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("claimServiceUrl", stack.claimService().baseUrl());
        info.put("claimServiceHttpsUrl", stack.claimServiceHttpsUrl());
        info.put(
                "installerApp",
                Map.of(
                        "url",
                        stack.installerAppUrl(),
                        "caFile",
                        stack.httpsCaFile().toString()));
        info.put("auditServiceUrl", stack.auditService().baseUrl());
        info.put("emulatorHttpUrl", stack.emulator().httpUrl());
        info.put("emulatorMqttEndpoint", stack.emulator().mqttEndpoint());
        info.put("caFile", stack.stateDir().resolve("emulator/ca.pem").toString());
        info.put("region", stack.emulator().config().region());
        info.put("userPoolId", DemoSeed.USER_POOL_ID);
        info.put("appClientId", DemoSeed.APP_CLIENT_ID);
        info.put("installer", Map.of("username", DemoSeed.INSTALLER, "password", stack.installerPassword()));
        info.put("auditor", Map.of("username", DemoSeed.AUDITOR, "password", stack.auditorPassword()));
        info.put(
                "jdbcUrls",
                Map.of(
                        "claimService",
                        stack.database().jdbcUrl("claims"),
                        "auditService",
                        stack.database().jdbcUrl("audit")));
        info.put("templateName", DemoSeed.TEMPLATE);
        info.put(
                "logs",
                Map.of(
                        "claimService",
                        stack.claimService().logFile().toString(),
                        "auditService",
                        stack.auditService().logFile().toString()));
        Path file = stack.stateDir().resolve("stack.json");
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        JSON.writeValue(file.toFile(), info);
        return file;
    }

    public static void main(String[] args) throws IOException {
        try (InputStream logging = DemoCommand.class.getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }
}
