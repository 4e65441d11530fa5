package io.fleetprov.emulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** An emulator started elsewhere, found through the {@code endpoints.json} it wrote to its data directory. */
final class RunningEmulator {

    /** A failure to report to the user, with the process exit code. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode endpoints;
    private final Map<String, String> environment;

    private RunningEmulator(JsonNode endpoints, Map<String, String> environment) {
        this.endpoints = endpoints;
        this.environment = environment;
    }

    /** @param environment where the AWS credentials come from (the process environment, or a test's) */
    static RunningEmulator find(Path dataDir, Map<String, String> environment) throws Failure, IOException {
        Path endpointsFile = dataDir.resolve("endpoints.json");
        if (!Files.exists(endpointsFile)) {
            throw new Failure(
                    "No running emulator found: " + endpointsFile + " does not exist. Start it with "
                            + "./fleetprov emulator --data-dir " + dataDir,
                    2);
        }
        return new RunningEmulator(JSON.readTree(endpointsFile.toFile()), environment);
    }

    Path caFile() {
        return Path.of(endpoints.path("caFile").asText());
    }

    /** The emulator's region, which a strict emulator requires in the signature's scope. */
    String region() {
        return endpoints.path("region").asText("us-east-1");
    }

    String mqttEndpoint() {
        return endpoints.path("mqttEndpoint").asText();
    }

    /**
     * POSTs {@code {}} to a path of the emulator's HTTP API and returns the answer; signed with SigV4 when the
     * standard AWS environment variables hold credentials (a strict emulator refuses unsigned calls).
     */
    JsonNode post(String path, String operation) throws Failure, IOException, InterruptedException {
        URI uri = URI.create(endpoints.path("httpUrl").asText() + path);
        EnvironmentSigner signer = new EnvironmentSigner(environment, region());
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(signer.post(uri, "{}"), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("Cannot reach the emulator at " + uri + ": " + e.getMessage(), 2);
        }
        if (response.statusCode() != 200) {
            String type = response.headers().firstValue("x-amzn-ErrorType").orElse("HTTP " + response.statusCode());
            throw new Failure(
                    operation + " failed: " + type + ": "
                            + JSON.readTree(response.body()).path("message").asText(),
                    1);
        }
        return JSON.readTree(response.body());
    }

    /** Writes a private key readable by its owner only. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
