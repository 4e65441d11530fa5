package io.fleetprov.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.simulator.claim.AwsClients;
import io.fleetprov.simulator.claim.ClaimSource;
import io.fleetprov.simulator.claim.DirectClaimSource;
import io.fleetprov.simulator.claim.IotEndpoints;
import io.fleetprov.simulator.claim.TrustedUserClaimSource;
import io.fleetprov.simulator.client.Backoff;
import io.fleetprov.simulator.client.CredentialFiles;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.ProvisionedDevice;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.client.ProvisioningMode;
import io.fleetprov.simulator.limit.HandshakeCost;
import io.fleetprov.simulator.limit.MachineLimit;
import io.fleetprov.simulator.load.CeilingFinder;
import io.fleetprov.simulator.load.FaultPlan;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.LoadRunner;
import io.fleetprov.simulator.load.Shard;
import io.fleetprov.simulator.load.SoakResult;
import io.fleetprov.simulator.load.SoakRunner;
import io.fleetprov.simulator.report.ReportWriter;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import io.fleetprov.simulator.report.SloResult;
import io.fleetprov.simulator.report.SummaryJson;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./fleetprov simulate}: drives many distinct devices through the whole provisioning flow. */
@TopCommand
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        subcommands = {MergeCommand.class, CleanupCommand.class},
        description = {
            "Provisions many distinct simulated devices through the whole fleet-provisioning-by-trusted-user flow",
            "(claim -> connect with claim -> create certificate -> RegisterThing -> reconnect as the thing ->",
            "first publish) at a target arrival rate, and measures every phase with HDR histograms.",
            "",
            "Exit codes: 0 done (and SLO met), 1 error, 2 bad usage, 3 SLO missed."
        },
        footer = {
            "",
            "Examples:",
            "  ./fleetprov simulate --emulator-dir .fleetprov/emulator --template my-template --devices 1000 "
                    + "--rate 50 --out /tmp/run1",
            "  ./fleetprov simulate merge /tmp/shard-0 /tmp/shard-1 --out /tmp/merged"
        })
public class SimulateCommand implements Callable<Integer> {

    static final int EXIT_SLO_MISSED = 3;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    TargetOptions target = new TargetOptions();

    @Option(
            names = "--source",
            defaultValue = "direct",
            paramLabel = "direct|trusted-user",
            description = "Where claims come from: 'direct' = CreateProvisioningClaim with the SDK's credentials; "
                    + "'trusted-user' = sign in to Cognito as an installer and POST /v1/claims to claim-service. "
                    + "Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--template", description = "Provisioning template name (required for a run).")
    String template;

    @Option(names = "--devices", paramLabel = "N", description = "Devices to provision across all shards.")
    long devices;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Run for this long instead of a fixed number of devices (e.g. 10m).")
    Duration duration;

    @Option(
            names = "--rate",
            defaultValue = "10",
            paramLabel = "DEVICES/S",
            description = "Target arrival rate for the whole run (shards split it). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--ramp",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Raise the rate linearly from 0 over this time. Default: ${DEFAULT-VALUE}.")
    Duration ramp;

    @Option(
            names = "--concurrency",
            defaultValue = "500",
            description = "Devices in flight at most (per shard); arrivals beyond wait, and the wait counts as "
                    + "latency. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(
            names = "--mode",
            defaultValue = "CSR",
            paramLabel = "KEYS|CSR",
            description = "KEYS = CreateKeysAndCertificate; CSR = the device generates its key and sends a CSR "
                    + "(CreateCertificateFromCsr). Default: ${DEFAULT-VALUE}.")
    ProvisioningMode mode;

    @Option(
            names = "--format",
            defaultValue = "JSON",
            paramLabel = "JSON|CBOR",
            description = "Fleet-provisioning payload format. Default: ${DEFAULT-VALUE}.")
    PayloadFormat format;

    @Option(
            names = "--key-type",
            defaultValue = "EC_P256",
            paramLabel = "EC_P256|RSA_2048",
            description = "Device key in CSR mode. Default: ${DEFAULT-VALUE}.")
    DeviceKeyType keyType;

    @Option(
            names = "--parameter",
            paramLabel = "NAME=VALUE",
            description = "RegisterThing parameter; {serial} is the device's serial number. Repeatable. "
                    + "Default: SerialNumber={serial}.")
    Map<String, String> parameters;

    @Option(
            names = "--publish-topic",
            defaultValue = "devices/{thingName}/telemetry",
            description = "Topic of the first publish after reconnecting; must be allowed by the device policy. "
                    + "{thingName} and {serial} are replaced. Default: ${DEFAULT-VALUE}.")
    String publishTopic;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Per MQTT step and per claim request. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = "--max-attempts",
            defaultValue = "8",
            description = "Attempts per throttled call, with jittered exponential backoff. Default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Option(
            names = "--run-id",
            description = "Names the run; part of every serial number (and so thing name), "
                    + "which is how cleanup finds them. Give all shards the same one. Default: a timestamp.")
    String runId;

    @Option(
            names = "--serial-prefix",
            defaultValue = "sim-",
            description = "Serial numbers are PREFIX + RUNID + '-' + index. Default: ${DEFAULT-VALUE}.")
    String serialPrefix;

    @Option(
            names = "--shard-index",
            description = "This process's shard, 0-based. Default: $JOB_COMPLETION_INDEX "
                    + "(Kubernetes Indexed Job), else 0.")
    Integer shardIndex;

    @Option(names = "--shard-count", defaultValue = "1", description = "Number of shards. Default: ${DEFAULT-VALUE}.")
    int shardCount;

    @Option(
            names = "--fault",
            paramLabel = "MODE[:FRACTION]",
            description = "Inject a fault into a fraction of the devices (default all): disconnect-after-create, "
                    + "reuse-token, wrong-serial, expired-claim, malformed-payload. Repeatable.")
    List<String> faults = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write summary.json, histograms/*.hlog, " + "timeline.csv and report.html here.")
    Path out;

    @Option(
            names = "--slo",
            paramLabel = "CHECKS",
            description = "e.g. 'p99.total<=2s,errors<=0.1%%,rate>=50'; " + "exit code 3 when missed.")
    String slo;

    @Option(
            names = "--credentials-dir",
            paramLabel = "DIR",
            description = "Write each device's certificate and private key (mode 0600) under DIR/<thingName>/.")
    Path credentialsDir;

    @Option(names = "--event-loops", description = "Vert.x event loops for all MQTT connections. Default: cores.")
    int eventLoops = Runtime.getRuntime().availableProcessors();

    @Option(names = "--plain", description = "Periodic plain progress lines even on a terminal.")
    boolean plain;

    @Option(
            names = "--soak",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Soak: keep every provisioned device connected with its own certificate and publishing "
                    + "for DURATION after the run; reports publish latency (from each publish's due time), "
                    + "disconnects, and the simulator's heap per connected device (DIR/soak.json).")
    Duration soak;

    @Option(
            names = "--soak-rate",
            defaultValue = "100",
            paramLabel = "MSGS/S",
            description = "Publishes per second across all soaking devices (QoS 1, devices take turns). "
                    + "Default: ${DEFAULT-VALUE}.")
    double soakRate;

    @Option(
            names = "--find-ceiling",
            description = "Ceiling discovery: run steps from --rate upwards (each "
                    + "--ceiling-factor times the last, --ceiling-step long) until a step misses the --slo (default "
                    + "'errors<=0') or is throttled; reports the highest sustainable rate and, per API, the rate where "
                    + "throttling began (DIR/ceiling.json, one report per step in DIR/step-RATE/).")
    boolean findCeiling;

    @Option(
            names = "--ceiling-factor",
            defaultValue = "1.5",
            description = "Rate multiplier between ceiling steps. " + "Default: ${DEFAULT-VALUE}.")
    double ceilingFactor;

    @Option(
            names = "--ceiling-step",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "Arrivals per ceiling step last this long (devices = rate x step). Default: ${DEFAULT-VALUE}.")
    Duration ceilingStep;

    @Option(
            names = "--ceiling-max-rate",
            defaultValue = "1000",
            paramLabel = "DEVICES/S",
            description = "Highest rate a ceiling search tries. Default: ${DEFAULT-VALUE}.")
    double ceilingMaxRate;

    @Option(
            names = "--machine-limit",
            description = "Before the run, measure this machine's limit "
                    + "cores / (t1 + t2 + t3 + 2 x t4) (claim key + certificate, device key + CSR, CSR check + certificate, "
                    + "one mutual-TLS handshake on both ends by openssl s_time) and report the run's devices/s against it "
                    + "(DIR/machine-limit.json).")
    boolean machineLimit;

    @ArgGroup(exclusive = false, heading = "%nTrusted-user source:%n")
    TrustedUserOptions trustedUser;

    static class TrustedUserOptions {
        @Option(names = "--claim-service-url", required = true, description = "claim-service base URL.")
        URI claimServiceUrl;

        @Option(
                names = "--cognito-endpoint-url",
                description =
                        "Cognito endpoint override (the emulator's " + "HTTP port). Default: AWS's regional endpoint.")
        URI cognitoEndpointUrl;

        @Option(names = "--user-pool-client-id", required = true, description = "App client id (no secret).")
        String clientId;

        @Option(names = "--username", required = true, description = "Installer user name.")
        String username;

        @Option(names = "--password", description = "Installer password; default: $FLEETPROV_PASSWORD.")
        String password;

        @Option(
                names = "--bearer",
                defaultValue = "id",
                paramLabel = "id|access",
                description = "Which Cognito token to send to claim-service. Default: ${DEFAULT-VALUE}.")
        String bearer;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (template == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --template NAME");
        }
        if (!findCeiling && devices <= 0 && duration == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --devices N or --duration D");
        }
        Slo objectives = slo == null ? null : Slo.parse(slo);
        Shard shard = new Shard(shardIndex != null ? shardIndex : Shard.indexFromEnvironment(), shardCount);
        String id = runId != null ? runId : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        // A ceiling search sizes each step itself; the plan only carries the shared settings then.
        LoadPlan plan = new LoadPlan(
                id,
                findCeiling ? Math.max(1, devices) : devices,
                findCeiling ? null : duration,
                rate,
                ramp,
                concurrency,
                shard,
                serialPrefix,
                FaultPlan.parse(faults));
        FlowOptions flowOptions = new FlowOptions(
                template,
                mode,
                format,
                keyType,
                parameters == null || parameters.isEmpty() ? Map.of("SerialNumber", "{serial}") : parameters,
                publishTopic,
                timeout,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), maxAttempts));

        AwsClients aws = new AwsClients(target.controlPlaneUrl(), target.region(), target.isEmulator(), concurrency);
        Vertx vertx =
                Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(false));
        ExecutorService cpu =
                Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread thread = new Thread(r, "simulator-keys");
                    thread.setDaemon(true);
                    return thread;
                });
        try (ClaimSource claims = claimSource(aws)) {
            MqttTarget mqtt = mqttTarget(aws);
            Map<String, Object> settings = settings(plan, flowOptions, claims, mqtt);
            MachineLimit.Result limit = machineLimit ? measureMachineLimit(mqtt, err) : null;
            if (limit != null) {
                settings.put("machineLimit", limit.toMap());
            }
            ProvisioningFlow flow = new ProvisioningFlow(vertx, mqtt, flowOptions, cpu);
            if (findCeiling) {
                return findCeiling(flow, claims, plan, settings, err);
            }
            err.printf(
                    "fleetprov simulate: run %s, shard %d/%d, %s claims, %s/%s, target %s (%s TLS), %s%n",
                    id,
                    shard.index(),
                    shard.count(),
                    claims.name(),
                    mode,
                    format,
                    mqtt.endpoint(),
                    mqtt.openSsl() ? "OpenSSL" : "JDK",
                    devices > 0 ? plan.shardDevices() + " devices" : "for " + duration);
            long heapBefore = soak != null ? SoakRunner.usedHeapAfterGc() : 0;
            Queue<ProvisioningFlow.Connected> connected = new ConcurrentLinkedQueue<>();
            LoadRunner runner =
                    new LoadRunner(flow, claims, plan, this::saveCredentials, soak != null ? connected::add : null);
            RunData run = runWithProgress(runner, plan, settings, err);
            int exit = finish(run, objectives, out, err);
            if (limit != null) {
                reportAgainstLimit(run, limit, err);
            }
            if (soak != null) {
                soak(new ArrayList<>(connected), heapBefore, err);
            }
            return exit;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            cpu.shutdownNow();
        }
    }

    private RunData runWithProgress(LoadRunner runner, LoadPlan plan, Map<String, Object> settings, PrintStream err) {
        Thread hook = new Thread(runner::stop, "simulator-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Progress[] progress = new Progress[1];
        try {
            return runner.run(
                    settings,
                    metrics -> progress[0] = new Progress(
                            metrics,
                            plan.devices() > 0 ? plan.shardDevices() : -1,
                            System.console() != null && !plain,
                            err));
        } finally {
            if (progress[0] != null) {
                progress[0].close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping; nothing to remove
            }
        }
    }

    private MachineLimit.Result measureMachineLimit(MqttTarget mqtt, PrintStream err) {
        err.println("fleetprov simulate: measuring this machine's limit (about 15 s) ...");
        HandshakeCost.Result jdk = HandshakeCost.inProcess(SslProvider.JDK, keyType, 200);
        HandshakeCost.Result openSsl =
                OpenSsl.isAvailable() ? HandshakeCost.inProcess(SslProvider.OPENSSL, keyType, 200) : null;
        HandshakeCost.Result sTime = HandshakeCost.openSslSTime(keyType, Duration.ofSeconds(3));
        HandshakeCost.Result t4 = sTime != null ? sTime : openSsl != null && mqtt.openSsl() ? openSsl : jdk;
        err.printf(
                "fleetprov simulate: one mutual-TLS handshake, both ends: %s%s%s%n",
                sTime == null ? "" : String.format("%.3f ms by openssl s_time; ", sTime.millisPerHandshake()),
                openSsl == null ? "" : String.format("%.3f ms in-process OpenSSL; ", openSsl.millisPerHandshake()),
                String.format("%.3f ms in-process JDK", jdk.millisPerHandshake()));
        MachineLimit.Result limit = MachineLimit.measure(keyType, t4);
        err.println("fleetprov simulate: " + limit.describe());
        return limit;
    }

    private void reportAgainstLimit(RunData run, MachineLimit.Result limit, PrintStream err) throws IOException {
        double ratio = run.devicesPerSecond() / limit.devicesPerSecond();
        err.printf(
                "fleetprov simulate: achieved %.2f devices/s = %.1f%% of this machine's limit %.1f devices/s%n",
                run.devicesPerSecond(), 100 * ratio, limit.devicesPerSecond());
        if (out != null) {
            Map<String, Object> m = new LinkedHashMap<>(limit.toMap());
            m.put("achievedDevicesPerSecond", Math.round(run.devicesPerSecond() * 100) / 100.0);
            m.put("ratio", Math.round(ratio * 10_000) / 10_000.0);
            writeJson(out.resolve("machine-limit.json"), m);
        }
    }

    private void soak(List<ProvisioningFlow.Connected> connected, long heapBefore, PrintStream err) throws IOException {
        err.printf(
                "fleetprov simulate: soak: %d devices connected, publishing %.1f/s for %s%n",
                connected.size(), soakRate, soak);
        SoakRunner soaker = new SoakRunner(connected, publishTopic);
        Thread hook = new Thread(soaker::stop, "simulator-soak-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        SoakResult result;
        try {
            result = soaker.run(soakRate, soak, heapBefore);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping
            }
        }
        soaker.disconnectAll();
        Map<String, Object> m = result.toMap();
        err.printf(
                "fleetprov simulate: soak: %d connected, %d disconnects, %d/%d publishes acknowledged, publish "
                        + "p50 %s ms p99 %s ms, heap %.1f MiB for %d devices = %.2f KiB per connected device%n",
                result.connectedAtStart(),
                result.disconnects(),
                result.acknowledged(),
                result.published(),
                ((Map<?, ?>) m.get("publishLatency")).get("p50Ms"),
                ((Map<?, ?>) m.get("publishLatency")).get("p99Ms"),
                (result.heapConnectedBytes() - result.heapBeforeBytes()) / 1048576.0,
                result.connectedAtStart(),
                result.heapBytesPerDevice() / 1024);
        if (out != null) {
            writeJson(out.resolve("soak.json"), m);
        }
    }

    private int findCeiling(
            ProvisioningFlow flow, ClaimSource claims, LoadPlan base, Map<String, Object> settings, PrintStream err)
            throws IOException {
        Slo objectives = Slo.parse(slo != null ? slo : "errors<=0");
        Map<String, String> apis = Map.of(
                "claim", claims.name().equals("direct") ? "CreateProvisioningClaim" : "POST /v1/claims",
                "create-certificate",
                        mode == ProvisioningMode.CSR ? "CreateCertificateFromCsr" : "CreateKeysAndCertificate",
                "register-thing", "RegisterThing");
        CeilingFinder finder = new CeilingFinder(objectives, rate, ceilingFactor, ceilingMaxRate, apis);
        err.printf(
                "fleetprov simulate: finding the ceiling from %.1f devices/s (x%.2f per step of %s, SLO %s)%n",
                rate, ceilingFactor, ceilingStep, objectives.expression());
        CeilingFinder.Result result = finder.find(
                stepRate -> {
                    long stepDevices = Math.max(1, Math.round(stepRate * ceilingStep.toMillis() / 1000.0));
                    LoadPlan plan = new LoadPlan(
                            base.runId() + "-r" + formatRate(stepRate),
                            stepDevices * base.shard().count(),
                            null,
                            stepRate * base.shard().count(),
                            base.ramp(),
                            base.concurrency(),
                            base.shard(),
                            base.serialPrefix(),
                            FaultPlan.NONE);
                    Map<String, Object> stepSettings = new LinkedHashMap<>(settings);
                    stepSettings.put("rate", stepRate);
                    stepSettings.put("devices", stepDevices);
                    return runWithProgress(
                            new LoadRunner(flow, claims, plan, this::saveCredentials), plan, stepSettings, err);
                },
                step -> {
                    err.printf(
                            "fleetprov simulate: step %.1f devices/s: achieved %.2f/s, %d provisioned, %d failed %s, "
                                    + "p99 total %.0f ms, throttled %s -> %s%n",
                            step.offeredRate(),
                            step.run().devicesPerSecond(),
                            step.run().provisioned(),
                            step.run().failed(),
                            step.run().failuresByCode(),
                            step.run()
                                            .histogram(io.fleetprov.simulator.client.Phase.TOTAL)
                                            .getValueAtPercentile(99)
                                    / 1000.0,
                            step.throttledByApi(),
                            step.sustainable() ? "sustainable" : "not sustainable");
                    if (out != null) {
                        try {
                            ReportWriter.write(
                                    out.resolve("step-" + formatRate(step.offeredRate())), step.run(), step.slo());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
        Map<String, Object> m = result.toMap();
        m.put("slo", objectives.expression());
        m.put("settings", settings);
        if (out != null) {
            writeJson(out.resolve("ceiling.json"), m);
        }
        err.printf(
                "fleetprov simulate: highest sustainable rate %s devices/s (%s); throttling began at %s%n",
                result.sustainableRate() == null ? "none" : result.sustainableRate(),
                result.stoppedBecause(),
                result.throttlingBeganAt().isEmpty() ? "no step" : result.throttlingBeganAt());
        System.out.println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        return 0;
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static void writeJson(Path file, Map<String, Object> content) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), content);
    }

    /** Prints the summary, writes the output directory, and turns the SLO verdict into the exit code. */
    static int finish(RunData run, Slo objectives, Path out, PrintStream err) throws IOException {
        SloResult verdict = objectives == null ? null : objectives.evaluate(run);
        if (out != null) {
            ReportWriter.write(out, run, verdict);
            err.println("fleetprov simulate: wrote " + out.resolve(ReportWriter.SUMMARY) + " and "
                    + out.resolve(ReportWriter.REPORT));
        }
        System.out.println(SummaryJson.toJson(run, verdict));
        if (verdict != null && !verdict.passed()) {
            verdict.checks().stream()
                    .filter(c -> !c.passed())
                    .forEach(c ->
                            err.printf("fleetprov simulate: SLO missed: %s (actual %.3f)%n", c.check(), c.actual()));
            return EXIT_SLO_MISSED;
        }
        return 0;
    }

    private ClaimSource claimSource(AwsClients aws) {
        return switch (source) {
            case "direct" -> new DirectClaimSource(aws.iot(), template);
            case "trusted-user" -> {
                if (trustedUser == null) {
                    throw new picocli.CommandLine.ParameterException(
                            spec.commandLine(),
                            "--source trusted-user needs --claim-service-url, --user-pool-client-id and --username");
                }
                String password =
                        trustedUser.password != null ? trustedUser.password : System.getenv("FLEETPROV_PASSWORD");
                if (password == null) {
                    throw new picocli.CommandLine.ParameterException(
                            spec.commandLine(), "give --password or set FLEETPROV_PASSWORD");
                }
                URI cognitoUrl = trustedUser.cognitoEndpointUrl != null
                        ? trustedUser.cognitoEndpointUrl
                        : target.isEmulator() ? target.controlPlaneUrl() : null;
                AwsClients cognito = new AwsClients(cognitoUrl, aws.region(), aws.emulator(), concurrency);
                yield new TrustedUserClaimSource(
                        cognito.cognito(),
                        new TrustedUserClaimSource.Settings(
                                trustedUser.clientId,
                                trustedUser.username,
                                password,
                                trustedUser.claimServiceUrl,
                                template,
                                "access".equals(trustedUser.bearer),
                                timeout));
            }
            default ->
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--source must be direct or trusted-user");
        };
    }

    private MqttTarget mqttTarget(AwsClients aws) throws Exception {
        String endpoint = target.mqttEndpoint();
        if (endpoint == null) {
            try (var iot = aws.iot()) {
                endpoint = IotEndpoints.dataAts(iot).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return MqttTarget.fromEndpoint(endpoint, target.caPem(), target.useOpenSsl());
    }

    private Map<String, Object> settings(LoadPlan plan, FlowOptions flow, ClaimSource claims, MqttTarget mqtt) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", claims.name());
        s.put("template", flow.templateName());
        s.put("mode", flow.mode().name());
        s.put("format", flow.format().name());
        s.put("keyType", flow.keyType().name());
        s.put("mqttEndpoint", mqtt.endpoint());
        s.put("tls", mqtt.openSsl() ? "OpenSSL" : "JDK");
        s.put("devices", plan.devices());
        s.put("duration", plan.duration() == null ? "" : plan.duration().toString());
        s.put("rate", plan.ratePerSecond());
        s.put("ramp", plan.ramp().toString());
        s.put("concurrency", plan.concurrency());
        s.put("faults", String.join(",", faults));
        s.put("eventLoops", eventLoops);
        s.put("cores", Runtime.getRuntime().availableProcessors());
        return s;
    }

    private void saveCredentials(ProvisionedDevice device) {
        if (credentialsDir == null) {
            return;
        }
        try {
            CredentialFiles.write(credentialsDir, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
