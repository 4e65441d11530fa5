package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.testing.TestTemplates;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/**
 * The broker trusts a registered certificate by its exact DER and leaves proof of possession to the TLS engine
 * (BoringSSL here): each attack on that is refused at the real handshake, and the genuine device still connects.
 */
class ClientCertificateHandshakeIT {

    private static final String POLICY = "client-certificate-allow-all";

    private static IotEmulator emulator;
    private static IotClient iot;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry().policies().create(POLICY, TestTemplates.ALLOW_ALL_POLICY);
        iot = AwsClients.iot(emulator);
    }

    @AfterAll
    static void stop() {
        iot.close();
        emulator.close();
    }

    @Test
    void aRegisteredCertificatePresentedWithAnotherPrivateKeyIsRefused() throws Exception {
        Devices.Credentials genuine = Devices.activeDevice(emulator, POLICY);
        String otherKey = Pem.privateKey(KeyAlgorithm.EC_P256.generate().getPrivate());

        assertThatThrownBy(() -> Devices.connect(emulator, genuine.certificatePem(), otherKey, clientId())
                        .close())
                .isInstanceOf(MqttException.class);
        connects(genuine.certificatePem(), genuine.privateKeyPem());
    }

    @Test
    void aLookAlikeFromAnotherCaIsRefusedEvenWhenRegisteredWithoutACa() throws Exception {
        Devices.Credentials genuine = Devices.activeDevice(emulator, POLICY);
        // Every ephemeral CA has our CA's name: same issuer, same subject, another key and signature.
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        String lookAlike = Pem.certificate(CertificateAuthority.ephemeral(Clock.systemUTC())
                .issueClientCertificate(
                        key.getPublic(), "test device", Instant.now().plus(1, ChronoUnit.DAYS)));
        String lookAlikeKey = Pem.privateKey(key.getPrivate());

        assertThatThrownBy(() -> Devices.connect(emulator, lookAlike, lookAlikeKey, clientId())
                        .close())
                .isInstanceOf(MqttException.class);

        var registered = iot.registerCertificateWithoutCA(
                r -> r.certificatePem(lookAlike).status(CertificateStatus.ACTIVE));
        emulator.registry().attachPolicy(POLICY, registered.certificateArn());
        assertThatThrownBy(() -> Devices.connect(emulator, lookAlike, lookAlikeKey, clientId())
                        .close())
                .isInstanceOf(MqttException.class);
        connects(genuine.certificatePem(), genuine.privateKeyPem());
    }

    @Test
    void aCertificateRegisteredWithTheCaConnects() throws Exception {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        String pem = Pem.certificate(emulator.ca()
                .issueClientCertificate(
                        key.getPublic(), "registered", Instant.now().plus(1, ChronoUnit.DAYS)));
        var registered = iot.registerCertificate(r -> r.certificatePem(pem)
                .caCertificatePem(emulator.caCertificatePem())
                .setAsActive(true));
        emulator.registry().attachPolicy(POLICY, registered.certificateArn());
        assertThat(emulator.registry()
                        .certificates()
                        .get(registered.certificateId())
                        .signedByCa())
                .isTrue();

        connects(pem, Pem.privateKey(key.getPrivate()));
    }

    private static void connects(String certificatePem, String privateKeyPem) throws Exception {
        try (var device = Devices.connect(emulator, certificatePem, privateKeyPem, clientId())) {
            assertThat(device.isConnected()).isTrue();
        }
    }

    private static String clientId() {
        return "handshake-" + UUID.randomUUID();
    }
}
