package io.fleetprov.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.registry.Thing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole system as {@code ./fleetprov demo} runs it — emulator, PostgreSQL, claim-service and audit-service from
 * their packaged jars, the packaged device simulator signing in as the installer — provisions a fleet, and then the
 * auditor finds every provenance step of every device: installer, claim, hook decision, device certificate, thing
 * and the first connection with that certificate. A step lost anywhere on the way (an event the emulator published
 * without its principal, one claim-service never sent, one audit-service did not store) names its device here.
 *
 * <p>{@code -Dwhole-system.devices=N} and {@code -Dwhole-system.rate=R} (arrivals per second) change the run.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WholeSystemProvenanceIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int DEVICES = Integer.getInteger("whole-system.devices", 1000);
    // As high as stays reliable on a shared 2-core machine; the point is every step of every device, not speed.
    private static final double RATE = Double.parseDouble(System.getProperty("whole-system.rate", "35"));
    // Devices in flight at most, and the simulator's per-step timeout: on a machine busier than the run needs, arrivals
    // wait for a slot (the run takes longer) instead of piling up until claim requests time out or exceed
    // the local claim-service's 48 claims in progress (answered 503 service-busy), which this test, about every step of
    // every
    // device, would count against the system.
    private static final List<String> PACING = List.of("--concurrency", "16", "--timeout", "60s");
    // Once the simulator is done, how long audit ingest may take to catch up with the last events.
    private static final Duration INGEST_WAIT = Duration.ofSeconds(90);

    private static Path stateDir;
    private static LocalStack stack;
    private static boolean passed;

    @BeforeAll
    static void startTheLocalSystem() throws Exception {
        for (String module : List.of("claim-service", "audit-service", "device-simulator")) {
            Path jar = ROOT.resolve(module + "/target/quarkus-app/quarkus-run.jar");
            assertThat(jar)
                    .as("the packaged %s (./mvnw -pl local-stack -am verify builds it)", module)
                    .exists();
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        stateDir = Files.createTempDirectory(target.toAbsolutePath(), "whole-system-");
        stack = LocalStack.start(ROOT, stateDir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
        // A failed run's logs, database and report stay for a look; a passed one's go.
        if (passed) {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyProvisionedDeviceHasEveryProvenanceStep() throws Exception {
        Path runDir = stateDir.resolve("run");
        Path simulatorLog = stateDir.resolve("logs/simulator.log");
        Files.createDirectories(simulatorLog.getParent());
        Process simulator = TrustedUserSimulator.process(ROOT, stack, DEVICES, RATE, runDir, PACING)
                .redirectErrorStream(true)
                .redirectOutput(simulatorLog.toFile())
                .start();
        long allowedSeconds = (long) (DEVICES / RATE) + 300;
        boolean finished = simulator.waitFor(allowedSeconds, TimeUnit.SECONDS);
        if (!finished) {
            simulator.destroyForcibly().waitFor();
        }
        assertThat(finished)
                .as("the simulator finished within %d s:%n%s", allowedSeconds, tail(simulatorLog))
                .isTrue();
        assertThat(runDir.resolve("summary.json"))
                .as("the simulator's summary:%n%s", tail(simulatorLog))
                .exists();
        JsonNode summary =
                new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());

        // Every thing the run created is checked, even when some devices did not provision, so that one run tells
        // both.
        Map<String, String> certificateOfThing = new TreeMap<>();
        Map<String, String> unattached = new TreeMap<>();
        for (Thing thing : stack.emulator().registry().things().list(null, null, null, false)) {
            List<String> principals = stack.emulator().registry().thingPrincipals(thing.thingName());
            if (principals.size() == 1) {
                certificateOfThing.put(thing.thingName(), certificateId(principals.get(0)));
            } else {
                unattached.put(thing.thingName(), "principals " + principals + ", not one device certificate");
            }
        }

        AuditApi audit = AuditApi.asAuditor(stack);
        audit.awaitStableIntegrity(INGEST_WAIT);
        Map<String, String> problems = check(audit, certificateOfThing, certificateOfThing.keySet());
        // A device whose steps are not all there yet gets a second look while events still arrive; once the log stops
        // growing, what is missing stays missing.
        long deadline = System.nanoTime() + INGEST_WAIT.toNanos();
        long verified = audit.get("/v1/integrity").path("verified").asLong();
        while (!problems.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(3_000);
            long now = audit.get("/v1/integrity").path("verified").asLong();
            problems = check(audit, certificateOfThing, problems.keySet());
            if (now == verified) {
                break;
            }
            verified = now;
        }
        JsonNode integrity = audit.get("/v1/integrity");
        problems.putAll(unattached);

        String simulatorOutput = tail(simulatorLog);
        String listed = problems.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(System.lineSeparator()));
        Map<String, String> lacking = problems;
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(summary.path("provisioned").asLong())
                    .as(
                            "devices provisioned (%d failed: %s):%n%s",
                            summary.path("failed").asLong(), summary.path("failedByErrorCode"), simulatorOutput)
                    .isEqualTo(DEVICES);
            softly.assertThat(simulator.exitValue()).as("simulator exit").isZero();
            softly.assertThat(certificateOfThing)
                    .as("things with their device certificate")
                    .hasSize(DEVICES);
            softly.assertThat(lacking)
                    .as("%d of %d devices lack provenance steps:%n%s", lacking.size(), DEVICES, listed)
                    .isEmpty();
            softly.assertThat(integrity.path("intact").asBoolean())
                    .as("integrity %s", integrity)
                    .isTrue();
            softly.assertThat(integrity.path("verified").asLong()).isPositive();
        });
        passed = true;
    }

    /** The devices among {@code things} whose provenance is incomplete or names another certificate, and why. */
    private static Map<String, String> check(
            AuditApi audit, Map<String, String> certificateOfThing, Collection<String> things) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<String>> answers = new TreeMap<>();
            for (String thing : things) {
                answers.put(thing, pool.submit(() -> problem(audit.provenance(thing), certificateOfThing.get(thing))));
            }
            Map<String, String> problems = new TreeMap<>();
            for (Map.Entry<String, Future<String>> answer : answers.entrySet()) {
                String problem;
                try {
                    problem = answer.getValue().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    problem = "no provenance: " + e.getCause().getMessage();
                }
                if (problem != null) {
                    problems.put(answer.getKey(), problem);
                }
            }
            return problems;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What is wrong with one device's provenance, or null when every step is there with its own certificate. */
    static String problem(JsonNode provenance, String certificateId) {
        List<String> wrong = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        provenance.path("missing").forEach(step -> missing.add(step.asText()));
        if (!missing.isEmpty()) {
            wrong.add("missing " + missing);
        }
        String issued =
                provenance.path("deviceCertificate").path("certificateId").asText(null);
        if (issued != null && !issued.equals(certificateId)) {
            wrong.add("deviceCertificate " + issued + " is not the thing's certificate " + certificateId);
        }
        String connected = provenance.path("firstConnect").path("certificateId").asText(null);
        if (connected != null && !connected.equals(certificateId)) {
            wrong.add("firstConnect with " + connected + ", not the thing's certificate " + certificateId);
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    private static String certificateId(String certificateArn) {
        return certificateArn.substring(certificateArn.lastIndexOf('/') + 1);
    }

    /** The end of the simulator's output, for a failure message. */
    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
