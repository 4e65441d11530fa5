package io.fleetprov.emulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetprov emulator identity}: mints a service identity (a certificate allowed on {@code $aws/events/#}
 * and {@code fleetprov/events/#}) from a running emulator for claim-service or audit-service.
 */
@Command(
        name = "identity",
        mixinStandardHelpOptions = true,
        description = "Mints an MQTT client certificate for a fleetprov service from a running emulator.")
final class IdentityCommand extends RunningEmulatorCommand {

    @Option(names = "--name", required = true, description = "Service name, e.g. claim-service.")
    String name;

    @Option(names = "--out", required = true, description = "Directory for NAME.pem.crt, NAME.private.key, ca.pem.")
    Path out;

    @Override
    void run(RunningEmulator running) throws RunningEmulator.Failure, IOException, InterruptedException {
        JsonNode identity = running.post("/_emulator/service-identities/" + name, "CreateServiceIdentity");
        Files.createDirectories(out);
        Files.writeString(
                out.resolve(name + ".pem.crt"), identity.path("certificatePem").asText());
        RunningEmulator.writePrivate(
                out.resolve(name + ".private.key"),
                identity.path("privateKeyPem").asText());
        Files.copy(running.caFile(), out.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("Service identity " + name + " (certificate "
                + identity.path("certificateId").asText() + ") written to " + out);
    }
}
