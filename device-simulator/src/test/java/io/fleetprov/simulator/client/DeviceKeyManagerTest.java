package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeviceKeyManagerTest {

    @Test
    void decodesEveryCertificateBlockAndIgnoresTheTextAround() {
        byte[] first = "first certificate's DER".getBytes(StandardCharsets.US_ASCII);
        byte[] second = new byte[200];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) i;
        }
        String pem = "Bag Attributes: none\n" + block(first) + "\r\n" + block(second) + "trailing text\n";

        assertThat(DeviceKeyManager.pemBlocks(pem)).containsExactly(first, second);
    }

    @Test
    void refusesAnUnterminatedOrUndecodableBlock() {
        String begin = "-----BEGIN CERTIFICATE-----\n";
        assertThatThrownBy(() -> DeviceKeyManager.pemBlocks(begin + "AAAA\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceKeyManager.pemBlocks(begin + "A\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String block(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
