package io.fleetprov.simulator.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetprov.simulator.client.DeviceCredentials;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class MachineLimitTest {

    @Test
    void t4TimesTheSystemsHandshakeOnBothEnds() {
        HandshakeCost.Result t4 = HandshakeCost.asTheSystemDoesIt(DeviceKeyType.EC_P256, OpenSsl.isAvailable(), 5);
        assertThat(t4.handshakes()).isEqualTo(5);
        assertThat(t4.clientMs()).isPositive();
        assertThat(t4.serverMs()).isPositive();
        assertThat(t4.millisPerHandshake()).isEqualTo(t4.clientMs() + t4.serverMs());
        assertThat(t4.method()).contains("TLSv1.3");

        // Devices on the JDK's TLS (--tls jdk): the same handshake with the JDK's engine on the client side.
        HandshakeCost.Result jdkClient = HandshakeCost.asTheSystemDoesIt(DeviceKeyType.EC_P256, false, 3);
        assertThat(jdkClient.clientMs()).isPositive();
        assertThat(jdkClient.method()).contains("TLSv1.3", "the JDK's TLS");
    }

    @Test
    void aRegisteredDeviceHandshakesOverTls13PresentingItsCertificate() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative does not load here");
        var pair = new HandshakeCost.SystemPair(DeviceKeyType.EC_P256, true);
        DeviceCredentials device = pair.device("device-a", true);

        SSLEngine server = handshake(pair, pair.clientEngines(device).get());
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(server.getSession().getCipherSuite()).startsWith("TLS_");
        assertThat(BrokerClientTrust.certificateId(
                        (X509Certificate) server.getSession().getPeerCertificates()[0]))
                .isEqualTo(device.certificateId());
    }

    @Test
    void theBrokerSideRefusesUntrustedClientsAndStillAcceptsTheRegisteredOnes() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative does not load here");
        var pair = new HandshakeCost.SystemPair(DeviceKeyType.EC_P256, true);
        DeviceCredentials registered = pair.device("device-a", true);
        handshake(pair, pair.clientEngines(registered).get());

        // Signed by the CA but never registered: refused, as the broker refuses an unknown certificate id.
        DeviceCredentials unregistered = pair.device("device-b", false);
        assertThatThrownBy(
                        () -> handshake(pair, pair.clientEngines(unregistered).get()))
                .isInstanceOf(SSLException.class);
        // Same names, another CA's key: another DER, another id, refused.
        DeviceCredentials foreign = pair.foreignDevice("device-a");
        assertThatThrownBy(() -> handshake(pair, pair.clientEngines(foreign).get()))
                .isInstanceOf(SSLException.class);
        // No client certificate at all: client authentication is required.
        SSLEngine anonymous = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build()
                .newEngine(ByteBufAllocator.DEFAULT, "localhost", 8883);
        assertThatThrownBy(() -> handshake(pair, anonymous)).isInstanceOf(SSLException.class);

        // The registered device still connects after the refusals.
        handshake(pair, pair.clientEngines(registered).get());
    }

    /** Handshakes {@code client} with a fresh broker engine of {@code pair}; returns the server's engine. */
    private static SSLEngine handshake(HandshakeCost.SystemPair pair, SSLEngine client) throws SSLException {
        SSLEngine server = pair.newServerEngine();
        try {
            HandshakeCost.handshake(client, server);
            return server;
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
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
