package io.fleetprov.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IotEmulatorExtensionTest {

    @RegisterExtension
    static IotEmulatorExtension emulator = IotEmulatorExtension.configured(b -> b.claimLifetime(Duration.ofMinutes(2)));

    @Test
    void startsAnEmulatorForTheClassAndInjectsIt(IotEmulator injected) {
        assertThat(injected).isSameAs(emulator.get());
        assertThat(injected.mqttPort()).isPositive();
        assertThat(injected.config().keyAlgorithm()).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(injected.config().claimLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(injected.broker().connectedClients()).isEmpty();
    }
}
