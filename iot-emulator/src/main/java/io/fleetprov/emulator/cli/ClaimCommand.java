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
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleetprov emulator claim}: asks a running emulator for a provisioning claim (CreateProvisioningClaim
 * over its control-plane HTTP API, as {@code aws iot create-provisioning-claim} would) and writes the files a
 * device needs.
 */
@Command(name = "claim", mixinStandardHelpOptions = true,
        description = "Mints a provisioning claim for a template from a running emulator and writes it to a directory.")
final class ClaimCommand implements Callable<Integer> {

    @ParentCommand
    EmulatorCommand emulator;

    @Option(names = "--template", required = true, description = "Provisioning template name.")
    String template;

    @Option(names = "--out", required = true, description = "Directory for claim.pem.crt, claim.private.key, ...")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path endpointsFile = emulator.dataDir.resolve("endpoints.json");
        if (!Files.exists(endpointsFile)) {
            System.err.println("No running emulator found: " + endpointsFile + " does not exist. Start it with "
                    + "./fleetprov emulator --data-dir " + emulator.dataDir);
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode endpoints = json.readTree(endpointsFile.toFile());
        URI uri = URI.create(endpoints.path("httpUrl").asText() + "/provisioning-templates/" + template
                + "/provisioning-claim");
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            System.err.println("Cannot reach the emulator at " + uri + ": " + e.getMessage());
            return 2;
        }
        if (response.statusCode() != 200) {
            JsonNode error = json.readTree(response.body());
            System.err.println("CreateProvisioningClaim failed: " + response.headers().firstValue("x-amzn-ErrorType")
                    .orElse("HTTP " + response.statusCode()) + ": " + error.path("message").asText());
            return 1;
        }
        JsonNode claim = json.readTree(response.body());
        Files.createDirectories(out);
        Files.writeString(out.resolve("claim.pem.crt"), claim.path("certificatePem").asText());
        writePrivate(out.resolve("claim.private.key"), claim.path("keyPair").path("PrivateKey").asText());
        Files.writeString(out.resolve("claim.public.key"), claim.path("keyPair").path("PublicKey").asText());
        Files.copy(Path.of(endpoints.path("caFile").asText()), out.resolve("ca.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Instant expiration = Instant.ofEpochMilli((long) (claim.path("expiration").asDouble() * 1000));
        System.out.println("Claim " + claim.path("certificateId").asText() + " for template " + template
                + ", valid until " + expiration);
        System.out.println("  certificate: " + out.resolve("claim.pem.crt"));
        System.out.println("  private key: " + out.resolve("claim.private.key"));
        System.out.println("  CA:          " + out.resolve("ca.pem"));
        System.out.println("  endpoint:    " + endpoints.path("mqttEndpoint").asText());
        return 0;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
