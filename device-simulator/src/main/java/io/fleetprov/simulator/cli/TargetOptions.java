package io.fleetprov.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the AWS side is: real AWS IoT (default chains) or a local emulator. Shared by run and cleanup. */
public class TargetOptions {

    @Option(
            names = "--emulator-dir",
            paramLabel = "DIR",
            description = "A running emulator's data directory: reads DIR/endpoints.json (MQTT endpoint, CA, "
                    + "region, control-plane URL httpUrl) and signs with fixed local credentials.")
    Path emulatorDir;

    @Option(
            names = "--iot-endpoint-url",
            paramLabel = "URL",
            description = "IoT control-plane endpoint override (CreateProvisioningClaim, DescribeEndpoint, cleanup)."
                    + " Default: AWS's regional endpoint, or the emulator's.")
    URI iotEndpointUrl;

    @Option(
            names = "--mqtt-endpoint",
            paramLabel = "HOST[:PORT]",
            description = "Where devices connect. Default: DescribeEndpoint iot:Data-ATS on the control plane "
                    + "(the emulator answers host:port; AWS a host, port 8883).")
    String mqttEndpoint;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "CA certificate(s) to trust for the MQTT endpoint. Default: the emulator's CA, or the "
                    + "JVM's trust store (which holds the Amazon root CAs).")
    Path caFile;

    @Option(names = "--region", description = "AWS region. Default: the SDK's region chain (AWS_REGION, profile).")
    String region;

    @Option(
            names = "--tls",
            defaultValue = "auto",
            paramLabel = "auto|openssl|jdk",
            description = "Devices' TLS engine: OpenSSL (BoringSSL from netty-tcnative, about four times cheaper per "
                    + "handshake) or the JDK's; auto = OpenSSL where it loads. Default: ${DEFAULT-VALUE}.")
    String tls = "auto";

    /** How long a run waits for an emulator started just before it to write its endpoints.json (tests shorten it). */
    Duration emulatorStartWait = Duration.ofSeconds(60);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * Values from {@code --emulator-dir}/endpoints.json, read lazily. An emulator started in the background just
     * before (as the README's soak does) writes the file a few seconds later, so a missing file is waited for, up
     * to {@link #emulatorStartWait}, before the run stops with what to do.
     */
    JsonNode emulatorEndpoints() {
        if (emulatorDir == null) {
            return null;
        }
        Path file = emulatorDir.resolve("endpoints.json");
        long deadline = System.nanoTime() + emulatorStartWait.toNanos();
        boolean told = false;
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            if (!told) {
                System.err.printf(
                        "fleetprov simulate: waiting up to %ds for the emulator to write %s%n",
                        emulatorStartWait.toSeconds(), file);
                told = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!Files.exists(file)) {
            throw new ParameterException(
                    mixee.commandLine(),
                    "No running emulator found: " + file + " does not exist. Start it with ./fleetprov emulator "
                            + "--data-dir " + emulatorDir + ", or name another with --emulator-dir.");
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The control plane (and the emulator's Cognito): {@code --iot-endpoint-url}, else endpoints.json's httpUrl. */
    URI controlPlaneUrl() {
        if (iotEndpointUrl != null) {
            return iotEndpointUrl;
        }
        JsonNode endpoints = emulatorEndpoints();
        if (endpoints == null) {
            return null;
        }
        if (!endpoints.hasNonNull("httpUrl")) {
            throw new IllegalStateException(emulatorDir.resolve("endpoints.json") + " has no httpUrl: is the "
                    + "emulator older than its control plane?");
        }
        return URI.create(endpoints.get("httpUrl").asText());
    }

    String region() {
        if (region != null) {
            return region;
        }
        JsonNode endpoints = emulatorEndpoints();
        return endpoints == null ? null : endpoints.path("region").asText(null);
    }

    String caPem() {
        try {
            if (caFile != null) {
                return Files.readString(caFile);
            }
            JsonNode endpoints = emulatorEndpoints();
            if (endpoints != null && endpoints.hasNonNull("caFile")) {
                return Files.readString(Path.of(endpoints.get("caFile").asText()));
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA file", e);
        }
    }

    /** An explicit endpoint; null means ask DescribeEndpoint (AWS and the emulator alike). */
    String mqttEndpoint() {
        return mqttEndpoint;
    }

    boolean useOpenSsl() {
        return useOpenSsl(tls);
    }

    /** OpenSSL when asked for, or by default when netty-tcnative loads on this platform; the JDK otherwise. */
    static boolean useOpenSsl(String tls) {
        return switch (tls) {
            case "openssl" -> {
                if (!OpenSSLEngineOptions.isAvailable()) {
                    throw new IllegalStateException("--tls openssl: netty-tcnative did not load: "
                            + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
                }
                yield true;
            }
            case "jdk" -> false;
            case "auto" -> OpenSSLEngineOptions.isAvailable();
            default -> throw new IllegalArgumentException("--tls must be auto, openssl or jdk, not " + tls);
        };
    }

    boolean isEmulator() {
        return emulatorDir != null;
    }
}
