package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.seed.SampleTemplate;
import io.fleetprov.emulator.seed.SeedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * What the demo seeds the emulator with: the emulator's sample device template with claim-service as its
 * pre-provisioning hook, a user pool with an installer and an auditor, and THING registry events on (audit-service
 * records them).
 */
final class DemoSeed {

    static final String TEMPLATE = "fleetprov-device";
    static final String USER_POOL_ID = "us-east-1_fleetprovDemo";
    static final String APP_CLIENT_ID = "fleetprovinstallerapp00001";
    static final String INSTALLER = "installer";
    static final String AUDITOR = "auditor";

    private DemoSeed() {}

    /**
     * Writes the seed file; the hook is claim-service's endpoint on {@code claimServicePort}, the installer app
     * client's hosted-UI callback and sign-out pages are its installer app on {@code claimServiceHttpsPort}.
     */
    static Path write(
            Path file,
            int claimServicePort,
            int claimServiceHttpsPort,
            String installerPassword,
            String auditorPassword)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode body = json.readTree(SampleTemplate.deviceTemplate(""));
        var template = new SeedFile.Template(
                TEMPLATE,
                "Devices provisioned by trusted installers",
                body,
                true,
                null,
                new SeedFile.Hook(hookUrl(claimServicePort), "2020-04-01"),
                null);
        var pool = new SeedFile.UserPoolSeed(
                USER_POOL_ID,
                "fleetprov-demo",
                List.of(new SeedFile.ClientSeed(
                        APP_CLIENT_ID,
                        "installer-app",
                        null,
                        List.of("https://localhost:" + claimServiceHttpsPort + "/app/callback"),
                        List.of("https://localhost:" + claimServiceHttpsPort + "/app/signed-out"),
                        List.of("code"),
                        List.of("openid", "profile", "email"),
                        true,
                        List.of("COGNITO"))),
                List.of("installer", "admin", "auditor"),
                List.of(
                        new SeedFile.UserSeed(INSTALLER, installerPassword, List.of("installer"), Map.of()),
                        new SeedFile.UserSeed(AUDITOR, auditorPassword, List.of("auditor"), Map.of())));
        var seed = new SeedFile(
                List.of(template), List.of(), Map.of("THING", new SeedFile.EventConfiguration(true)), List.of(pool));
        // The seed carries the installer's and the auditor's passwords: owner-only (0600), created so from the start.
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), seed);
        return file;
    }

    /** The demo template's pre-provisioning hook: claim-service's endpoint, the only URL given the hook secret. */
    static String hookUrl(int claimServicePort) {
        return "http://localhost:" + claimServicePort + "/v1/hooks/pre-provisioning";
    }
}
