package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service identity minted by an emulator with a data directory still connects after the emulator restarts. */
class ServiceIdentitiesIT {

    @TempDir
    Path data;

    @Test
    void aServiceIdentityOutlivesARestartAndItsKeyIsNotKept() throws Exception {
        ServiceIdentity identity;
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).build())) {
            identity = emulator.createServiceIdentity("audit-service");
        }
        Path kept = data.resolve("service-identities").resolve(identity.certificateId() + ".pem");
        assertThat(kept).hasContent(identity.certificatePem());
        try (var files = Files.walk(data)) {
            assertThat(files.filter(Files::isRegularFile).map(ServiceIdentitiesIT::read))
                    .noneMatch(
                            content -> content.contains(identity.privateKeyPem().strip()));
        }

        try (IotEmulator restarted = IotEmulator.start(
                        EmulatorConfig.builder().forTests().dataDir(data).build());
                var service = Devices.connect(
                        restarted,
                        identity.certificatePem(),
                        identity.privateKeyPem(),
                        "audit-service-" + UUID.randomUUID())) {
            service.client.subscribe("$aws/events/#", 1);
            service.client.publish("fleetprov/events/ClaimIssued", "{}".getBytes(), 1, false);
            assertThat(service.connectionLost).failsWithin(Duration.ofSeconds(1));
            assertThat(service.isConnected()).isTrue();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
