package io.fleetprov.simulator.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetprov.simulator.client.DeviceKeyType;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MachineLimitTest {

    @Test
    void inProcessHandshakesCompleteAndCostCpuWithEitherEngine() {
        HandshakeCost.Result jdk = HandshakeCost.inProcess(SslProvider.JDK, DeviceKeyType.EC_P256, 10);
        assertThat(jdk.millisPerHandshake()).isPositive();
        assertThat(jdk.method()).contains("JDK");
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative does not load here");
        HandshakeCost.Result openSsl = HandshakeCost.inProcess(SslProvider.OPENSSL, DeviceKeyType.EC_P256, 10);
        assertThat(openSsl.millisPerHandshake()).isPositive();
        assertThat(openSsl.method()).contains("OpenSSL");
    }

    @Test
    void theLimitIsCoresOverTheSumOfTheCryptoOfOneDevice() {
        var handshake = new HandshakeCost.Result(2.0, 1, "given");
        MachineLimit.Result limit = MachineLimit.measure(DeviceKeyType.EC_P256, handshake);
        assertThat(limit.t1Ms()).isPositive();
        assertThat(limit.t2Ms()).isPositive();
        assertThat(limit.t3Ms()).isPositive();
        double perDevice = limit.t1Ms() + limit.t2Ms() + limit.t3Ms() + 4.0;
        assertThat(limit.devicesPerSecond())
                .isCloseTo(limit.cores() * 1000.0 / perDevice, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(limit.toMap()).containsKeys("t1ClaimKeyAndCertificateMs", "t4HandshakeMs", "devicesPerSecond");
    }

    @Test
    void sTimeMeasuresAFullMutualTlsHandshakeWhereOpensslIsInstalled() {
        HandshakeCost.Result result = HandshakeCost.openSslSTime(DeviceKeyType.EC_P256, Duration.ofSeconds(1));
        assumeTrue(result != null, "no openssl command");
        assertThat(result.handshakes()).isPositive();
        assertThat(result.millisPerHandshake()).isBetween(0.01, 100.0);
    }
}
