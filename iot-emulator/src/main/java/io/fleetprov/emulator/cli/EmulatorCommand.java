package io.fleetprov.emulator.cli;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetprov emulator}: runs the emulator until interrupted. */
@Command(
        name = "emulator",
        mixinStandardHelpOptions = true,
        subcommands = {ClaimCommand.class, IdentityCommand.class, CryptoBenchCommand.class},
        description = {
            "Runs the AWS side of fleet provisioning locally: an MQTT broker over mutual TLS with the",
            "fleet-provisioning API, and a CA; the AWS IoT control-plane REST API and Cognito user pools over HTTP.",
            "Writes DIR/ca.pem (the CA to trust) and DIR/endpoints.json."
        })
public final class EmulatorCommand implements Callable<Integer> {

    /** Where the client subcommands (claim, identity) read AWS credentials from to sign their calls. */
    final Map<String, String> environment;

    public EmulatorCommand() {
        this(System.getenv());
    }

    /** @param environment stands in for the process environment (tests: credentials without setting env vars) */
    public EmulatorCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            defaultValue = ".fleetprov/emulator",
            description = "Where the CA and keys persist (created on first start). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--mqtt-port", defaultValue = "8883", description = "MQTT over TLS port. Default: ${DEFAULT-VALUE}")
    int mqttPort;

    @Option(
            names = "--mqtt-alpn-port",
            defaultValue = "-1",
            description = "A second MQTT over TLS port that requires ALPN x-amzn-mqtt-ca, as AWS IoT's 443 does"
                    + " (0: any free port). Default: off")
    int mqttAlpnPort;

    @Option(
            names = "--http-port",
            defaultValue = "4566",
            description = "HTTP port of the control plane. Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(
            names = "--seed",
            description = "Seed file: provisioning templates, policies, event configurations and user pools.")
    Path seed;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(
            names = "--advertised-host",
            defaultValue = "localhost",
            description = "Host name clients use to reach the emulator (endpoints.json, DescribeEndpoint, Cognito "
                    + "issuer); added to the server certificate. Default: ${DEFAULT-VALUE}")
    String advertisedHost;

    @Option(names = "--host", description = "Extra host name for the broker's server certificate (repeatable).")
    List<String> hostNames = List.of();

    @Option(
            names = "--key-algorithm",
            defaultValue = "RSA_2048",
            description =
                    "Key type of claims and CreateKeysAndCertificate: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    KeyAlgorithm keyAlgorithm;

    @Option(names = "--throttle", description = "Rate limit an API, e.g. RegisterThing=10 (requests/s; repeatable).")
    Map<String, Double> throttle = Map.of();

    @Option(
            names = "--hook-timeout-ms",
            defaultValue = "5000",
            description = "Deadline for pre-provisioning hooks (AWS: 5000). Default: ${DEFAULT-VALUE}")
    long hookTimeoutMillis;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Fault: added before every answer.")
    long latencyMillis;

    @Option(
            names = "--drop-accepted",
            defaultValue = "0",
            description = "Fault: share (0..1) of /accepted answers never delivered.")
    double dropAccepted;

    @Option(
            names = "--disconnect-after-create",
            defaultValue = "0",
            description = "Fault: share (0..1) of devices disconnected between certificate creation and RegisterThing.")
    double disconnectAfterCreate;

    @Option(
            names = "--hook-header",
            paramLabel = "NAME=VALUE",
            description = "Header sent to pre-provisioning hooks, e.g. X-Hook-Secret=s3cret (repeatable); only to hook"
                    + " URLs under a --hook-header-url when one is given.")
    Map<String, String> hookHeaders = Map.of();

    @Option(
            names = "--hook-header-url",
            paramLabel = "PREFIX",
            description = "Send --hook-header only to hook URLs under this URL prefix (repeatable; same scheme, host"
                    + " and port, path continued at a '/'). Default: to every hook URL a template names.")
    List<String> hookHeaderUrls = List.of();

    @Option(
            names = "--access-key",
            paramLabel = "ID=SECRET",
            description = "Accept HTTP requests signed with this access key (repeatable). Turns strict SigV4 on: "
                    + "unsigned requests and other keys are refused. Default: signatures are not checked.")
    Map<String, String> accessKeys = Map.of();

    @Override
    public Integer call() throws InterruptedException {
        EmulatorConfig.Builder config = EmulatorConfig.builder()
                .dataDir(dataDir)
                .mqttPort(mqttPort)
                .mqttAlpnPort(mqttAlpnPort)
                .httpPort(httpPort)
                .bindHost(bind)
                .advertisedHost(advertisedHost)
                .keyAlgorithm(keyAlgorithm)
                .seedFile(seed)
                .hookTimeout(Duration.ofMillis(hookTimeoutMillis))
                .latency(Duration.ofMillis(latencyMillis))
                .dropAcceptedFraction(dropAccepted)
                .disconnectAfterCreateFraction(disconnectAfterCreate);
        hostNames.forEach(config::hostName);
        throttle.forEach(config::throttle);
        hookHeaders.forEach(config::hookHeader);
        try {
            hookHeaderUrls.forEach(config::hookHeaderUrl);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hook-header-url: " + e.getMessage());
        }
        accessKeys.forEach(config::accessKey);
        IotEmulator emulator = IotEmulator.start(config.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            stopped.countDown();
                        },
                        "emulator-shutdown"));
        System.out.println("iot-emulator running");
        System.out.println("  MQTT (TLS, client certificate): " + emulator.mqttEndpoint());
        if (emulator.mqttAlpnPort() >= 0) {
            System.out.println(
                    "  MQTT, ALPN x-amzn-mqtt-ca only: " + emulator.mqttHost() + ":" + emulator.mqttAlpnPort());
        }
        System.out.println(
                "  MQTT connections held at most:  " + emulator.broker().maxConnections()
                        + " (the open-file limit, ulimit -n, less what the emulator needs itself)");
        System.out.println("  HTTP (AWS IoT API, Cognito):     " + emulator.httpUrl()
                + (accessKeys.isEmpty() ? "  (SigV4 not checked)" : "  (SigV4 verified)"));
        emulator.cognito()
                .pools()
                .userPools()
                .forEach(pool -> System.out.println("  user pool " + pool.id() + " ("
                        + pool.name() + "), app clients "
                        + emulator.cognito().pools().appClients(pool.id()).stream()
                                .map(c -> c.clientId())
                                .toList()));
        System.out.println(
                "  CA to trust:                    " + dataDir.resolve("ca.pem").toAbsolutePath());
        System.out.println("  endpoints:                      "
                + dataDir.resolve("endpoints.json").toAbsolutePath());
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    public static void main(String[] args) throws IOException {
        try (InputStream logging = EmulatorCommand.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(logging);
        }
        System.exit(new CommandLine(new EmulatorCommand()).execute(args));
    }
}
