package io.fleetprov.emulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetprov emulator claim}: asks a running emulator for a provisioning claim (CreateProvisioningClaim
 * over its control-plane HTTP API, as {@code aws iot create-provisioning-claim} would) and writes the files a
 * device needs.
 */
@Command(
        name = "claim",
        mixinStandardHelpOptions = true,
        description = "Mints a provisioning claim for a template from a running emulator and writes it to a directory.")
final class ClaimCommand extends RunningEmulatorCommand {

    @Option(names = "--template", required = true, description = "Provisioning template name.")
    String template;

    @Option(names = "--out", required = true, description = "Directory for claim.pem.crt, claim.private.key, ...")
    Path out;

    @Override
    void run(RunningEmulator running) throws RunningEmulator.Failure, IOException, InterruptedException {
        JsonNode claim =
                running.post("/provisioning-templates/" + template + "/provisioning-claim", "CreateProvisioningClaim");
        Files.createDirectories(out);
        Files.writeString(
                out.resolve("claim.pem.crt"), claim.path("certificatePem").asText());
        RunningEmulator.writePrivate(
                out.resolve("claim.private.key"),
                claim.path("keyPair").path("PrivateKey").asText());
        Files.writeString(
                out.resolve("claim.public.key"),
                claim.path("keyPair").path("PublicKey").asText());
        Files.copy(running.caFile(), out.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Instant expiration =
                Instant.ofEpochMilli((long) (claim.path("expiration").asDouble() * 1000));
        System.out.println("Claim " + claim.path("certificateId").asText() + " for template " + template
                + ", valid until " + expiration);
        System.out.println("  certificate: " + out.resolve("claim.pem.crt"));
        System.out.println("  private key: " + out.resolve("claim.private.key"));
        System.out.println("  CA:          " + out.resolve("ca.pem"));
        System.out.println("  endpoint:    " + running.mqttEndpoint());
    }
}
