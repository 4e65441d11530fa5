package io.fleetprov.emulator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.policy.IotAction;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.template.TemplateEngine;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The authorizer keeps each certificate's subject and issuer fields once parsed; everything that can change while a
 * device is connected (its policies, its certificate's status, the certificate's existence) must still take effect at
 * the very next check.
 */
class PolicyAuthorizerTest {

    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
              {"Effect":"Allow","Action":"iot:Publish",
               "Resource":"arn:aws:iot:*:*:topic/devices/${iot:Certificate.Subject.CommonName}/*"}]}
            """;

    private final Clock clock = Clock.systemUTC();
    private final Registry registry = new Registry(clock, new Arns("eu-west-1", "111122223333"), new TemplateEngine());
    private final ClientIdentities identities = new ClientIdentities(registry);
    private final List<String> disconnected = new ArrayList<>();
    private final PolicyAuthorizer authorizer = new PolicyAuthorizer(identities, registry, disconnected::add);
    private final ConnectionAdmission admission =
            new ConnectionAdmission(registry, authorizer, identities, clock, (channel, identity) -> {});
    private final X509Certificate certificate = CertificateAuthority.ephemeral(clock)
            .issueClientCertificate(
                    KeyAlgorithm.EC_P256.generate().getPublic(),
                    "device-7",
                    clock.instant().plus(Duration.ofDays(1)));
    private final CertificateRecord record =
            registry.certificates().registerIssued(certificate, CertificateStatus.ACTIVE, null);
    private final ClientIdentity device = ClientIdentities.identityOf("device-7", record, "192.0.2.7");

    PolicyAuthorizerTest() {
        registry.policies().create("device-policy", POLICY);
        registry.attachPolicy("device-policy", record.certificateArn());
    }

    @Test
    void certificateFieldsAreParsedOnceAndResolveAsBefore() {
        for (int i = 0; i < 3; i++) {
            assertThat(publishes("devices/device-7/telemetry")).isTrue();
            assertThat(publishes("devices/device-8/telemetry")).isFalse();
        }
        assertThat(authorizer.cachedCertificateFields()).isEqualTo(1);
    }

    @Test
    void aDetachedPolicyDeniesAtTheNextCheck() {
        assertThat(publishes("devices/device-7/telemetry")).isTrue();

        registry.detachPolicy("device-policy", record.certificateArn());
        assertThat(publishes("devices/device-7/telemetry")).isFalse();

        registry.attachPolicy("device-policy", record.certificateArn());
        assertThat(publishes("devices/device-7/telemetry")).isTrue();
    }

    @Test
    void aStatusChangeTakesEffectAtTheNextConnectionAndCheck() {
        assertThat(admitted()).isTrue();
        assertThat(publishes("devices/device-7/telemetry")).isTrue();

        registry.certificates().updateStatus(record.certificateId(), CertificateStatus.INACTIVE);
        assertThat(admitted()).isFalse();

        registry.certificates().updateStatus(record.certificateId(), CertificateStatus.ACTIVE);
        assertThat(admitted()).isTrue();

        registry.certificates().updateStatus(record.certificateId(), CertificateStatus.REVOKED);
        assertThat(admitted()).isFalse();
        // A live connection of a revoked certificate is the broker's to close (dropRevoked); until then its own
        // publishes are judged by its policies, cached fields or not, exactly as before.
        assertThat(publishes("devices/device-7/telemetry")).isTrue();
    }

    @Test
    void aDeletedCertificateResolvesNothingAtTheNextCheck() {
        assertThat(publishes("devices/device-7/telemetry")).isTrue();

        registry.certificates().updateStatus(record.certificateId(), CertificateStatus.INACTIVE);
        registry.deleteCertificate(record.certificateId(), true);

        assertThat(publishes("devices/device-7/telemetry")).isFalse();
        assertThat(admitted()).isFalse();
    }

    private boolean publishes(String topic) {
        return authorizer.allows(device, IotAction.PUBLISH, topic);
    }

    private boolean admitted() {
        return admission
                .admit(Optional.of(certificate), "device-7", true, "192.0.2.7")
                .admitted();
    }
}
