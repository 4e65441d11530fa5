package io.fleetprov.emulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    private RunningEmulator(JsonNode endpoints) {
        this.endpoints = endpoints;
    }

    static RunningEmulator find(Path dataDir) throws Failure, IOException {
        Path endpointsFile = dataDir.resolve("endpoints.json");
        if (!Files.exists(endpointsFile)) {
            throw new Failure(
                    "No running emulator found: " + endpointsFile + " does not exist. Start it with "
                            + "./fleetprov emulator --data-dir " + dataDir,
                    2);
        }
        return new RunningEmulator(JSON.readTree(endpointsFile.toFile()));
    }

    Path caFile() {
        return Path.of(endpoints.path("caFile").asText());
    }

    String mqttEndpoint() {
        return endpoints.path("mqttEndpoint").asText();
    }

    /** POSTs {@code {}} to a path of the emulator's HTTP API (unsigned: lenient SigV4 mode) and returns the answer. */
    JsonNode post(String path, String operation) throws Failure, IOException, InterruptedException {
        URI uri = URI.create(endpoints.path("httpUrl").asText() + path);
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .header("Content-Type", "application/json")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
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
