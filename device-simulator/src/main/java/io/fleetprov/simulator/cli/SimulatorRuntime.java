package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.claim.AwsClients;
import io.fleetprov.simulator.claim.ClaimSource;
import io.fleetprov.simulator.claim.DirectClaimSource;
import io.fleetprov.simulator.claim.IotEndpoints;
import io.fleetprov.simulator.claim.TrustedUserClaimSource;
import io.fleetprov.simulator.client.CredentialFiles;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.MqttVersion;
import io.fleetprov.simulator.client.ProvisionedDevice;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.LoadRunner;
import io.fleetprov.simulator.report.RunData;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running parts every load run needs, opened from {@link RunOptions}: Vert.x for the MQTT connections, a CPU
 * pool for keys, the claim source, the MQTT target and the provisioning flow over them; closed together.
 */
final class SimulatorRuntime implements AutoCloseable {

    private final RunOptions options;
    private final Vertx vertx;
    private final ExecutorService cpu;
    private final ClaimSource claims;
    private final MqttTarget mqtt;
    private final ProvisioningFlow flow;

    private SimulatorRuntime(
            RunOptions options, Vertx vertx, ExecutorService cpu, ClaimSource claims, MqttTarget mqtt) {
        this.options = options;
        this.vertx = vertx;
        this.cpu = cpu;
        this.claims = claims;
        this.mqtt = mqtt;
        this.flow = new ProvisioningFlow(vertx, mqtt, options.flowOptions(), cpu);
    }

    static SimulatorRuntime open(RunOptions options) throws Exception {
        AwsClients aws = new AwsClients(
                options.target.controlPlaneUrl(),
                options.target.region(),
                options.target.isEmulator(),
                options.concurrency);
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(options.eventLoops).setPreferNativeTransport(false));
        ExecutorService cpu =
                Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread thread = new Thread(r, "simulator-keys");
                    thread.setDaemon(true);
                    return thread;
                });
        ClaimSource claims = null;
        try {
            claims = claimSource(options, aws, vertx);
            return new SimulatorRuntime(options, vertx, cpu, claims, mqttTarget(options, aws));
        } catch (Exception | Error e) {
            if (claims != null) {
                claims.close();
            }
            stop(vertx, cpu);
            throw e;
        }
    }

    ClaimSource claims() {
        return claims;
    }

    MqttTarget mqtt() {
        return mqtt;
    }

    /** What was run, echoed into summary.json. */
    Map<String, Object> settings(LoadPlan plan) {
        FlowOptions flowOptions = flow.options();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", claims.name());
        s.put("template", flowOptions.templateName());
        s.put("mode", flowOptions.mode().name());
        s.put("format", flowOptions.format().name());
        s.put("keyType", flowOptions.keyType().name());
        s.put("mqttEndpoint", mqtt.endpoint());
        s.put("mqttVersion", flowOptions.mqttVersion().option());
        s.put("tls", mqtt.openSsl() ? "OpenSSL" : "JDK");
        s.put("devices", plan.devices());
        s.put("duration", plan.duration() == null ? "" : plan.duration().toString());
        s.put("rate", plan.ratePerSecond());
        s.put("ramp", plan.ramp().toString());
        s.put("concurrency", plan.concurrency());
        s.put("faults", String.join(",", options.faults));
        s.put("eventLoops", options.eventLoops);
        s.put("cores", Runtime.getRuntime().availableProcessors());
        return s;
    }

    /** The line that says what is about to run. */
    void announce(LoadPlan plan, PrintStream err) {
        err.printf(
                "fleetprov simulate: run %s, shard %d/%d, %s claims, %s/%s, target %s (MQTT %s, %s TLS), %s%n",
                plan.runId(),
                plan.shard().index(),
                plan.shard().count(),
                claims.name(),
                options.mode,
                options.format,
                mqtt.endpoint(),
                options.mqttVersion.option(),
                mqtt.openSsl() ? "OpenSSL" : "JDK",
                plan.devices() > 0 ? plan.shardDevices() + " devices" : "for " + plan.duration());
    }

    /**
     * Runs one plan with progress on {@code err}; Ctrl-C stops new arrivals and lets devices in flight finish.
     *
     * @param keepConnected when not null, provisioned devices stay connected and are handed over here
     */
    RunData run(
            LoadPlan plan,
            Map<String, Object> settings,
            Consumer<ProvisioningFlow.Held> keepConnected,
            PrintStream err) {
        LoadRunner runner = new LoadRunner(flow, claims, plan, this::saveCredentials, keepConnected);
        Thread hook = new Thread(runner::stop, "simulator-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Progress[] progress = new Progress[1];
        try {
            return runner.run(
                    settings,
                    metrics -> progress[0] = new Progress(
                            metrics,
                            plan.devices() > 0 ? plan.shardDevices() : -1,
                            System.console() != null && !options.plain,
                            err));
        } finally {
            if (progress[0] != null) {
                progress[0].close();
            }
            removeShutdownHook(hook);
        }
    }

    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping; nothing to remove
        }
    }

    private void saveCredentials(ProvisionedDevice device) {
        if (options.credentialsDir == null) {
            return;
        }
        try {
            CredentialFiles.write(options.credentialsDir, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            claims.close();
        } finally {
            stop(vertx, cpu);
        }
    }

    private static void stop(Vertx vertx, ExecutorService cpu) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Vert.x did not stop", e);
        } finally {
            cpu.shutdownNow();
        }
    }

    private static ClaimSource claimSource(RunOptions options, AwsClients aws, Vertx vertx) {
        return switch (options.source) {
            case "direct" -> new DirectClaimSource(aws.iot(), options.template);
            case "trusted-user" -> {
                RunOptions.TrustedUserOptions user = options.trustedUser;
                if (user == null) {
                    throw options.usage(
                            "--source trusted-user needs --claim-service-url, --user-pool-client-id and --username");
                }
                String password = user.password != null ? user.password : System.getenv("FLEETPROV_PASSWORD");
                if (password == null) {
                    throw options.usage("give --password or set FLEETPROV_PASSWORD");
                }
                URI cognitoUrl = user.cognitoEndpointUrl != null
                        ? user.cognitoEndpointUrl
                        : options.target.isEmulator() ? options.target.controlPlaneUrl() : null;
                AwsClients cognito = new AwsClients(cognitoUrl, aws.region(), aws.emulator(), options.concurrency);
                yield new TrustedUserClaimSource(
                        vertx,
                        cognito.cognito(),
                        new TrustedUserClaimSource.Settings(
                                user.clientId,
                                user.username,
                                password,
                                user.claimServiceUrl,
                                options.template,
                                "access".equals(user.bearer),
                                options.timeout),
                        user.claimServiceCa == null ? null : TrustedUserClaimSource.trusting(user.claimServiceCa),
                        // HTTPS to claim-service on the same engine as the devices' TLS (--tls).
                        options.target.useOpenSsl());
            }
            default -> throw options.usage("--source must be direct or trusted-user");
        };
    }

    private static MqttTarget mqttTarget(RunOptions options, AwsClients aws) throws Exception {
        String endpoint = options.target.mqttEndpoint();
        if (endpoint == null) {
            try (var iot = aws.iot()) {
                endpoint = IotEndpoints.dataAts(iot).get(options.timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return MqttTarget.fromEndpoint(endpoint, options.target.caPem(), useOpenSsl(options));
    }

    /** MQTT 5 runs on Paho, which takes a JDK socket factory: OpenSSL only ever serves MQTT 3.1.1. */
    private static boolean useOpenSsl(RunOptions options) {
        if (options.mqttVersion != MqttVersion.MQTT_5) {
            return options.target.useOpenSsl();
        }
        if ("openssl".equals(options.target.tls)) {
            throw options.usage("--tls openssl needs --mqtt-version 3: MQTT 5 (Paho) uses the JDK's TLS");
        }
        return false;
    }
}
