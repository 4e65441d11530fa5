package io.fleetprov.simulator.cli;

import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.simulator.client.Backoff;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttVersion;
import io.fleetprov.simulator.client.ProvisioningMode;
import io.fleetprov.simulator.limit.OpenFileLimit;
import io.fleetprov.simulator.load.FaultPlan;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.Shard;
import io.fleetprov.simulator.report.Slo;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What a load run needs, shared by {@code run}, {@code soak} and {@code ceiling} (and bare {@code simulate}). */
public class RunOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @picocli.CommandLine.Mixin
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
            names = "--mqtt-version",
            defaultValue = "3",
            paramLabel = "3|5",
            converter = MqttVersionConverter.class,
            description = "MQTT protocol of the devices: 3 = MQTT 3.1.1 (Vert.x, many connections per event loop, "
                    + "OpenSSL); 5 = MQTT 5 (Eclipse Paho, threads per connection, JDK TLS: for provisioning runs, "
                    + "not large soaks). Default: ${DEFAULT-VALUE}.")
    MqttVersion mqttVersion;

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
            description = "Attempts per throttled call without Retry-After, with jittered exponential backoff."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Option(
            names = "--retry-after-budget",
            defaultValue = "2m",
            converter = DurationConverter.class,
            description =
                    "How long a device keeps coming back to a call answered with Retry-After (claim-service"
                            + " shedding load with 429/503), in waits added up, however many attempts. Default: ${DEFAULT-VALUE}.")
    Duration retryAfterBudget;

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
            description = "Write summary.json, histograms/*.hlog, timeline.csv and report.html here.")
    Path out;

    @Option(
            names = "--slo",
            paramLabel = "CHECKS",
            description = "e.g. 'p99.total<=2s,errors<=0.1%%,rate>=50'; exit code 3 when missed.")
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
            names = "--machine-limit",
            description = "Before the run, measure this machine's limit (see the machine-limit command) and report "
                    + "the run's devices/s against it (DIR/machine-limit.json).")
    boolean machineLimit;

    @ArgGroup(exclusive = false, heading = "%nTrusted-user source:%n")
    TrustedUserOptions trustedUser;

    /** Sign-in and claim-service settings of {@code --source trusted-user}. */
    static class TrustedUserOptions {
        @Option(names = "--claim-service-url", required = true, description = "claim-service base URL.")
        URI claimServiceUrl;

        @Option(
                names = "--claim-service-ca",
                paramLabel = "FILE",
                description = "PEM CA certificate(s) to trust for an https claim-service URL (the local system's "
                        + "DIR/https/ca.pem). Default: the JVM's trusted CAs.")
        Path claimServiceCa;

        @Option(
                names = "--cognito-endpoint-url",
                description = "Cognito endpoint override (the emulator's HTTP port). Default: AWS's regional endpoint.")
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

    ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }

    /** A run needs a template and either a number of devices or a duration. */
    void requireRunSize() {
        requireTemplate();
        if (devices <= 0 && duration == null) {
            throw usage("give --devices N or --duration D");
        }
    }

    /**
     * Stops a run that would hold more connections than this process may open files. Each device holds one
     * connection at a time (its claim connection closes before it reconnects as its thing), so a run holds at most
     * its devices in flight, and a soak every device of its shard.
     */
    void requireOpenFiles(boolean soak) {
        LoadPlan plan = plan("check");
        long total = soak
                ? devicesOverall()
                : Math.min(devicesOverall(), (long) concurrency * plan.shard().count());
        long here = soak ? plan.shard().devices(devicesOverall()) : Math.min(concurrency, total);
        OpenFileLimit.ofThisProcess()
                .flatMap(files -> files.refusal(soak ? "this soak" : "this run", here, total))
                .ifPresent(refusal -> {
                    throw usage(refusal);
                });
    }

    /** Devices across all shards; in duration mode, as many as the rate offers in that time. */
    private long devicesOverall() {
        return devices > 0 ? devices : (long) Math.ceil(rate * duration.toMillis() / 1000.0);
    }

    void requireTemplate() {
        if (template == null) {
            throw usage("give --template NAME");
        }
    }

    Slo objectives() {
        return slo == null ? null : Slo.parse(slo);
    }

    String runIdOrTimestamp() {
        return runId != null ? runId : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    LoadPlan plan(String id) {
        return new LoadPlan(
                id, devices, duration, rate, ramp, concurrency, shard(), serialPrefix, FaultPlan.parse(faults));
    }

    Shard shard() {
        return new Shard(shardIndex != null ? shardIndex : Shard.indexFromEnvironment(), shardCount);
    }

    FlowOptions flowOptions() {
        return new FlowOptions(
                template,
                mode,
                format,
                keyType,
                parameters == null || parameters.isEmpty() ? Map.of("SerialNumber", "{serial}") : parameters,
                publishTopic,
                timeout,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), maxAttempts, retryAfterBudget),
                mqttVersion);
    }
}
