package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.bench.CryptoBenchmark;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fleetprov bench}: on this machine, one after the other, the machine limit, the direct-claims flow
 * (emulator + simulator) and the trusted-user flow (the system {@code ./fleetprov demo} starts), each flow at its
 * ceiling under one SLO; then the rates side by side, their ratios against the targets, and CPU per device per
 * process.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Measures the machine limit, then the ceiling of the direct-claims flow and of the trusted-user flow",
            "(each after a warm-up, SLO errors<=0,p99.total<=5s), and prints the rates, their ratios and CPU per",
            "device per process; writes bench.json and every step's report under --out."
        })
public final class BenchCommand implements Callable<Integer> {

    static final String SLO = "errors<=0,p99.total<=5s";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(
            names = "--out",
            defaultValue = ".fleetprov/bench",
            paramLabel = "DIR",
            description = "bench.json, each flow's steps and the services' logs go here. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(
            names = "--step",
            defaultValue = "20s",
            paramLabel = "DURATION",
            description = "Arrivals per ceiling step last this long (e.g. 20s, 1m). Default: ${DEFAULT-VALUE}")
    String step;

    @Option(
            names = "--start-rate",
            defaultValue = "20",
            paramLabel = "DEVICES/S",
            description =
                    "First step's rate of each search (the warm-up runs at half of it). Default: ${DEFAULT-VALUE}")
    double startRate;

    @Option(
            names = "--factor",
            defaultValue = "1.5",
            description = "Rate multiplier between steps. Default: ${DEFAULT-VALUE}")
    double factor;

    @Option(
            names = "--max-rate",
            defaultValue = "1000",
            paramLabel = "DEVICES/S",
            description =
                    "Highest rate a search tries (itself, when the next step would pass it). Default: ${DEFAULT-VALUE}")
    double maxRate;

    @Option(
            names = "--refine",
            defaultValue = "3",
            paramLabel = "STEPS",
            description = "Steps at the geometric midpoint between the highest rate that held and the lowest that"
                    + " did not, after each search's rising steps. Default: ${DEFAULT-VALUE}")
    int refine;

    @Option(
            names = "--warmup",
            defaultValue = "10000",
            paramLabel = "DEVICES",
            description = "Devices provisioned, not counted, before each search's first step (thousands: a JIT"
                    + " compiler takes a method on only after thousands of calls). Default: ${DEFAULT-VALUE}")
    long warmup;

    @Option(
            names = "--warmup-rate",
            defaultValue = "100",
            paramLabel = "DEVICES/S",
            description = "Rate of the warm-up. Default: ${DEFAULT-VALUE}")
    double warmupRate;

    @Option(names = "--root", hidden = true, defaultValue = "${sys:fleetprov.root:-.}")
    Path root;

    @Override
    public Integer call() throws Exception {
        Path dir = out.toAbsolutePath();
        Files.createDirectories(dir);
        Instant started = Instant.now();
        System.out.printf(
                "fleetprov bench: %d cores, load average %s; results in %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), dir);

        System.out.println("fleetprov bench: 0/3 the emulator's crypto per operation against openssl speed ...");
        CryptoBenchmark.Result crypto = CryptoBenchmark.run(Duration.ofSeconds(2));

        System.out.println("fleetprov bench: 1/3 machine limit ...");
        double machineLimit = machineLimit(dir.resolve("machine-limit"));

        System.out.println("fleetprov bench: 2/3 direct-claims flow (emulator + simulator, --source direct) ...");
        BenchFlow direct = direct(dir.resolve("direct"));

        System.out.println("fleetprov bench: 3/3 trusted-user flow (the system ./fleetprov demo starts) ...");
        BenchFlow trusted = trusted(dir.resolve("trusted"));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("slo", SLO);
        settings.put("step", step);
        settings.put("startRate", startRate);
        settings.put("factor", factor);
        settings.put("maxRate", maxRate);
        settings.put("refineSteps", refine);
        settings.put("warmupDevices", warmup);
        settings.put("warmupRate", warmupRate);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        settings.put("loadAverageAtEnd", loadAverage());
        settings.put("started", started.toString());
        settings.put("seconds", Duration.between(started, Instant.now()).toSeconds());
        BenchReport report = new BenchReport(machineLimit, direct, trusted, settings);
        Map<String, Object> json = report.toMap();
        json.put("crypto", cryptoMap(crypto));
        JSON.writeValue(dir.resolve("bench.json").toFile(), json);
        report.print(System.out);
        System.out.println();
        System.out.print(crypto.report());
        System.out.println("bench.json and each step's report: " + dir);
        return 0;
    }

    /** Plain values for bench.json (Optional has no JSON form without an extra Jackson module). */
    private static List<Map<String, Object>> cryptoMap(CryptoBenchmark.Result crypto) {
        List<Map<String, Object>> figures = new ArrayList<>();
        for (CryptoBenchmark.Figure f : crypto.figures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", f.operation());
            m.put("by", f.implementation());
            m.put("microsPerOperation", f.micros());
            m.put("opensslMicros", f.opensslMicros().orElse(null));
            m.put("ratioToOpenssl", f.ratioToOpenssl().orElse(null));
            figures.add(m);
        }
        return figures;
    }

    private double machineLimit(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = simulator("machine-limit", "--out", dir.toString());
        int exit = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("simulator.log").toFile())
                .start()
                .waitFor();
        Path file = dir.resolve("machine-limit.json");
        if (exit != 0 || !Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "machine-limit exited with " + exit + "; see " + dir.resolve("simulator.log"));
        }
        JsonNode limit = JSON.readTree(file.toFile());
        System.out.printf(
                "  [machine-limit] %.1f devices/s (t1 %s + t2 %s + t3 %s + 2 x t4 %s ms, %s)%n",
                limit.path("devicesPerSecond").asDouble(),
                limit.path("t1ClaimKeyAndCertificateMs").asText(),
                limit.path("t2DeviceKeyAndCsrMs").asText(),
                limit.path("t3CsrVerifyAndCertificateMs").asText(),
                limit.path("t4HandshakeMs").asText(),
                limit.path("t4Method").asText());
        return limit.path("devicesPerSecond").asDouble();
    }

    /** The README's benchmark pair: the emulator with the bench seed, the simulator claiming directly, CSR, P-256. */
    private BenchFlow direct(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path emulatorDir = dir.resolve("emulator");
        try (IotEmulator emulator = IotEmulator.start(EmulatorConfig.builder()
                .dataDir(emulatorDir)
                .mqttPort(0)
                .httpPort(0)
                .keyAlgorithm(KeyAlgorithm.EC_P256)
                .seedFile(root.resolve("device-simulator/bench/seed.json"))
                .build())) {
            System.out.println("  [direct] emulator " + emulator.httpUrl() + " / mqtts://" + emulator.mqttEndpoint());
            // The emulator runs in this JVM: its CPU is this process's own (the children are counted apart).
            Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
            processes.put("emulator", BenchCommand::ownCpu);
            List<String> command = simulator("ceiling", "--emulator-dir", emulatorDir.toString());
            command.addAll(List.of("--template", "bench-template", "--mode", "CSR", "--key-type", "EC_P256"));
            command.addAll(ceilingOptions(dir, "bench-direct"));
            Map<String, String> environment = Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local");
            CeilingRun.Outcome outcome = new CeilingRun(
                            "direct", processes, Map.of("emulator", ownPid()), () -> 0, System.out)
                    .run(command, environment, dir);
            BenchFlow flow = BenchFlow.of("direct", outcome);
            List<String> run = simulator("run", "--emulator-dir", emulatorDir.toString());
            run.addAll(List.of("--template", "bench-template", "--mode", "CSR", "--key-type", "EC_P256"));
            return flow.with(null, overload(flow, run, environment, dir));
        }
    }

    /** The trusted-user flow exactly as the demo runs it, under a ceiling search instead of a fixed run. */
    private BenchFlow trusted(Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path hookLog = HookLatency.file(logs);
        try (LocalStack stack = LocalStack.start(root.toAbsolutePath(), dir, HookLatency.accessLogProperties(logs))) {
            // Ctrl-C must not leave claim-service, audit-service and PostgreSQL running without us.
            Thread stop = new Thread(stack::close, "bench-stop-stack");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                return measureTrusted(dir, stack, hookLog);
            } finally {
                CeilingRun.removeShutdownHook(stop);
            }
        }
    }

    private BenchFlow measureTrusted(Path dir, LocalStack stack, Path hookLog) throws Exception {
        long claimService = stack.claimService().pid();
        long auditService = stack.auditService().pid();
        long postgres = stack.postgresPid();
        Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
        processes.put("emulator", BenchCommand::ownCpu);
        processes.put("claim-service", () -> ProcessCpu.treeSeconds(claimService));
        processes.put("audit-service", () -> ProcessCpu.treeSeconds(auditService));
        processes.put("postgresql", () -> ProcessCpu.treeSeconds(postgres));
        List<String> command = simulator("ceiling");
        command.addAll(TrustedUserSimulator.arguments(stack));
        command.addAll(ceilingOptions(dir, "bench-trusted"));
        Map<String, Long> jvms =
                Map.of("emulator", ownPid(), "claim-service", claimService, "audit-service", auditService);
        CeilingRun.Outcome outcome = new CeilingRun(
                        "trusted", processes, jvms, () -> HookLatency.size(hookLog), System.out)
                .run(command, TrustedUserSimulator.environment(stack), dir);
        BenchFlow flow = BenchFlow.of("trusted", outcome);
        int at = flow.reportedStep();
        HookLatency.Stats hooks = at < 0 || at + 1 >= outcome.marks().size()
                ? null
                : HookLatency.between(
                        hookLog,
                        outcome.marks().get(at).hookLogBytes(),
                        outcome.marks().get(at + 1).hookLogBytes());
        List<String> run = simulator("run");
        run.addAll(TrustedUserSimulator.arguments(stack));
        return flow.with(hooks, overload(flow, run, TrustedUserSimulator.environment(stack), dir));
    }

    /**
     * Twice the ceiling (twice the first step's rate when none was found) for one step's time, after the search:
     * the issue asks zero failed devices up to 2x the ceiling, which the search itself, stopping at its first miss,
     * does not show.
     */
    private OverloadRun.Result overload(BenchFlow flow, List<String> run, Map<String, String> environment, Path dir)
            throws IOException, InterruptedException {
        double base = flow.ceiling() != null ? flow.ceiling() : startRate;
        double rate = OverloadRun.FACTOR * base;
        run.addAll(List.of("--run-id", "bench-" + flow.name() + "-overload"));
        System.out.printf(Locale.ROOT, "  [%s] overload: %.1f devices/s for %s ...%n", flow.name(), rate, step);
        OverloadRun.Result result = OverloadRun.run(flow.name(), run, environment, rate, step, dir.resolve("overload"));
        System.out.printf(
                Locale.ROOT,
                "  [%s] overload: %d started, %d provisioned, %d failed %s, %d claims shed and retried, "
                        + "p99 total %.0f ms, broker faults logged %d%n",
                flow.name(),
                result.started(),
                result.provisioned(),
                result.failed(),
                result.failedByErrorCode(),
                result.throttled(),
                result.p99TotalMs(),
                result.brokerFaults());
        return result;
    }

    /** The search writes ceiling.json and each step's report (step-RATE/) in {@code out}. */
    private List<String> ceilingOptions(Path out, String runId) {
        return new ArrayList<>(List.of(
                "--run-id",
                runId,
                "--rate",
                Double.toString(startRate),
                "--ceiling-step",
                step,
                "--ceiling-factor",
                Double.toString(factor),
                "--ceiling-max-rate",
                Double.toString(maxRate),
                "--ceiling-refine",
                Integer.toString(refine),
                "--ceiling-warmup",
                Long.toString(warmup),
                "--ceiling-warmup-rate",
                Double.toString(warmupRate),
                "--slo",
                SLO,
                "--out",
                out.toString(),
                "--plain"));
    }

    private List<String> simulator(String... subcommand) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                root.resolve("device-simulator/target/quarkus-app/quarkus-run.jar")
                        .toAbsolutePath()
                        .toString()));
        command.addAll(List.of(subcommand));
        return command;
    }

    private static double ownCpu() {
        return ProcessCpu.ownSeconds(ownPid());
    }

    private static long ownPid() {
        return ProcessHandle.current().pid();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static void main(String[] args) throws IOException {
        try (InputStream logging = BenchCommand.class.getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
