package io.fleetprov.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the AWS side is: real AWS IoT (default chains) or a local emulator. Shared by run and cleanup. */
public class TargetOptions {

    @Option(names = "--emulator-dir", paramLabel = "DIR",
            description = "A running emulator's data directory: reads DIR/endpoints.json (MQTT endpoint, CA, "
                    + "region, control-plane URL) and signs with fixed local credentials.")
    Path emulatorDir;

    @Option(names = "--iot-endpoint-url", paramLabel = "URL",
            description = "IoT control-plane endpoint override (CreateProvisioningClaim, DescribeEndpoint, cleanup)."
                    + " Default: AWS's regional endpoint, or the emulator's.")
    URI iotEndpointUrl;

    @Option(names = "--mqtt-endpoint", paramLabel = "HOST[:PORT]",
            description = "Where devices connect. Default: DescribeEndpoint iot:Data-ATS (port 8883 when AWS "
                    + "returns only a host).")
    String mqttEndpoint;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "CA certificate(s) to trust for the MQTT endpoint. Default: the emulator's CA, or the "
                    + "JVM's trust store (which holds the Amazon root CAs).")
    Path caFile;

    @Option(names = "--region", description = "AWS region. Default: the SDK's region chain (AWS_REGION, profile).")
    String region;

    @Option(names = "--openssl", description = "TLS with OpenSSL (netty-tcnative) instead of the JDK, "
            + "when it is on the class path.")
    boolean openSsl;

    /** Values from {@code --emulator-dir}/endpoints.json, read lazily. */
    JsonNode emulatorEndpoints() {
        if (emulatorDir == null) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(emulatorDir.resolve("endpoints.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + emulatorDir.resolve("endpoints.json"), e);
        }
    }

    URI controlPlaneUrl() {
        if (iotEndpointUrl != null) {
            return iotEndpointUrl;
        }
        JsonNode endpoints = emulatorEndpoints();
        if (endpoints != null) {
            for (String key : new String[] {"iotEndpointUrl", "httpEndpoint", "controlPlaneUrl", "httpUrl"}) {
                if (endpoints.hasNonNull(key)) {
                    return URI.create(endpoints.get(key).asText());
                }
            }
            if (endpoints.hasNonNull("httpPort")) {
                return URI.create("http://" + endpoints.path("mqttHost").asText("localhost") + ":"
                        + endpoints.get("httpPort").asInt());
            }
        }
        return null;
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

    /** An explicit endpoint, or the emulator's; null means ask DescribeEndpoint. */
    String mqttEndpoint() {
        if (mqttEndpoint != null) {
            return mqttEndpoint;
        }
        JsonNode endpoints = emulatorEndpoints();
        return endpoints == null ? null : endpoints.path("mqttEndpoint").asText(null);
    }

    boolean isEmulator() {
        return emulatorDir != null;
    }
}
