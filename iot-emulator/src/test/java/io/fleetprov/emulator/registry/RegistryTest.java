package io.fleetprov.emulator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.template.TemplateEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RegistryTest {

    private static final String BODY = """
            {"Parameters": {"SerialNumber": {"Type": "String"}},
             "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}}}}}
            """;
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
            """;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    // Set by hand, so expiry is tested without sleeping (the shared TestClock lives downstream of the emulator).
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private final CertificateAuthority ca = CertificateAuthority.ephemeral(clock);
    private final Registry registry = new Registry(clock, new Arns("eu-west-1", "111122223333"), new TemplateEngine());

    @Test
    void templatesHaveVersionsAndAwsErrors() {
        var template = registry.templates().create("t1", "d", BODY, true, "arn:aws:iam::1:role/r", null, null);
        assertThat(template.templateArn()).isEqualTo("arn:aws:iot:eu-west-1:111122223333:provisioningtemplate/t1");
        assertThat(template.type()).isEqualTo("FLEET_PROVISIONING");
        assertThat(template.defaultVersionId()).isEqualTo(1);
        assertError(
                () -> registry.templates().create("t1", null, BODY, true, "r", null, null),
                ErrorType.ResourceAlreadyExistsException);
        assertError(
                () -> registry.templates().create("t2", null, "{not json", true, "r", null, null),
                ErrorType.InvalidRequestException);
        assertError(() -> registry.templates().get("missing"), ErrorType.ResourceNotFoundException);

        for (int v = 2; v <= ProvisioningTemplateStore.MAX_VERSIONS; v++) {
            registry.templates().createVersion("t1", BODY, v == 3);
        }
        assertThat(registry.templates().get("t1").defaultVersionId()).isEqualTo(3);
        assertError(
                () -> registry.templates().createVersion("t1", BODY, false), ErrorType.VersionsLimitExceededException);
        assertError(() -> registry.templates().deleteVersion("t1", 3), ErrorType.DeleteConflictException);
        registry.templates().deleteVersion("t1", 2);
        assertThat(registry.templates().get("t1").versions())
                .extracting(ProvisioningTemplate.Version::versionId)
                .containsExactly(1, 3, 4, 5);
    }

    @Test
    void claimsAreHiddenFromCertificateLists() {
        var device = register(CertificateStatus.PENDING_ACTIVATION, null);
        var claim = register(CertificateStatus.ACTIVE, "t1");
        assertThat(registry.certificates().list(true))
                .extracting(CertificateRecord::certificateId)
                .containsExactly(device.certificateId());
        assertThat(registry.certificates().find(claim.certificateId())).isPresent();
        assertError(
                () -> registry.certificates().updateStatus(claim.certificateId(), CertificateStatus.INACTIVE),
                ErrorType.CertificateStateException);
    }

    @Test
    void activeOrAttachedCertificatesAreNotDeletedWithoutForce() {
        var cert = register(CertificateStatus.ACTIVE, null);
        assertError(() -> registry.deleteCertificate(cert.certificateId(), false), ErrorType.CertificateStateException);
        registry.certificates().updateStatus(cert.certificateId(), CertificateStatus.INACTIVE);
        registry.things().create("thing-1", null, Map.of(), null, List.of());
        registry.attachThingPrincipal("thing-1", cert.certificateArn());
        assertError(() -> registry.deleteCertificate(cert.certificateId(), false), ErrorType.DeleteConflictException);
        registry.deleteCertificate(cert.certificateId(), true);
        assertThat(registry.thingPrincipals("thing-1")).isEmpty();
    }

    @Test
    void thingsVersionFilterAndNotifyListeners() {
        List<String> seen = new ArrayList<>();
        registry.things().addListener(new RegistryListener() {
            @Override
            public void thingCreated(Thing thing) {
                seen.add("created " + thing.thingName() + " v" + thing.version());
            }

            @Override
            public void thingUpdated(Thing thing) {
                seen.add("updated " + thing.thingName() + " v" + thing.version());
            }

            @Override
            public void thingDeleted(Thing thing) {
                seen.add("deleted " + thing.thingName());
            }
        });
        registry.thingTypes().create("sensor", null, null);
        registry.thingTypes().create("other", null, null);
        registry.things().create("a", "sensor", Map.of("site", "north"), null, List.of());
        registry.things().create("b", null, Map.of("site", "northeast"), null, List.of());
        assertThat(registry.things()
                        .create("a", "sensor", Map.of("site", "north"), null, List.of())
                        .version())
                .isOne();
        assertError(
                () -> registry.things().create("a", "other", Map.of(), null, List.of()),
                ErrorType.ResourceAlreadyExistsException);
        assertError(
                () -> registry.things().create("bad name", null, Map.of(), null, List.of()),
                ErrorType.InvalidRequestException);
        registry.things().update("a", "sensor", Map.of("site", "south"), null, List.of());

        assertThat(registry.things().list("site", "north", null, true))
                .extracting(Thing::thingName)
                .containsExactly("b");
        assertThat(registry.things().list(null, null, "sensor", false))
                .extracting(Thing::thingName)
                .containsExactly("a");
        assertError(() -> registry.deleteThing("a", 1L), ErrorType.VersionConflictException);
        registry.deleteThing("a", 2L);
        registry.deleteThing("never-existed", null);
        assertThat(seen).containsExactly("created a v1", "created b v1", "updated a v2", "deleted a");
    }

    @Test
    void policiesAreParsedAndAttachedToCertificates() {
        var cert = register(CertificateStatus.ACTIVE, null);
        registry.policies().create("p1", POLICY);
        assertError(() -> registry.policies().create("p2", "{\"Statement\": 3}"), ErrorType.MalformedPolicyException);
        assertError(
                () -> registry.attachPolicy("p1", "arn:aws:iot:eu-west-1:111122223333:thing/x"),
                ErrorType.InvalidRequestException);
        registry.attachPolicy("p1", cert.certificateArn());
        assertThat(registry.attachedPolicies(cert.certificateArn()))
                .extracting(Policy::policyName)
                .containsExactly("p1");
        assertThat(registry.policyDocumentsForCertificate(cert.certificateId())).hasSize(1);
        assertThat(registry.isAttached(cert.certificateId())).isTrue();
    }

    @Test
    void eventConfigurationsAreOffByDefault() {
        assertThat(registry.eventConfigurations().current().isEnabled("THING")).isFalse();
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(1)));
        var updated = registry.eventConfigurations().update(Map.of("THING", true));
        assertThat(updated.isEnabled("THING")).isTrue();
        assertThat(updated.lastModifiedDate()).isAfter(updated.creationDate());
        assertError(
                () -> registry.eventConfigurations().update(Map.of("NOPE", true)), ErrorType.InvalidRequestException);
    }

    @Test
    void attachmentsAreKeptBothWaysThroughDetachDeleteAndPurge() {
        var a = register(CertificateStatus.ACTIVE, null);
        var b = register(CertificateStatus.ACTIVE, null);
        var claim = claimExpiringIn(Duration.ofMinutes(1));
        for (String thing : List.of("thing-b", "thing-a", "thing-c")) {
            registry.things().create(thing, null, Map.of(), null, List.of());
        }
        registry.attachThingPrincipal("thing-b", a.certificateArn());
        registry.attachThingPrincipal("thing-a", a.certificateArn());
        registry.attachThingPrincipal("thing-a", b.certificateArn());
        // AWS refuses to attach a claim to a thing; the registry underneath does not look.
        registry.attachThingPrincipal("thing-c", claim.certificateArn());
        assertThat(registry.principalThings(a.certificateArn())).containsExactly("thing-a", "thing-b");
        assertThat(registry.isAttached(b.certificateId())).isTrue();

        registry.detachThingPrincipal("thing-a", b.certificateArn());
        assertThat(registry.principalThings(b.certificateArn())).isEmpty();
        assertThat(registry.isAttached(b.certificateId())).isFalse();
        assertThat(registry.thingPrincipals("thing-a")).containsExactly(a.certificateArn());

        registry.deleteThing("thing-b", null);
        assertThat(registry.principalThings(a.certificateArn())).containsExactly("thing-a");

        now.updateAndGet(t -> t.plus(Duration.ofMinutes(2)));
        assertThat(registry.purgeExpiredClaims(clock.instant())).isOne();
        assertThat(registry.thingPrincipals("thing-c")).isEmpty();
        assertThat(registry.principalThings(claim.certificateArn())).isEmpty();

        registry.certificates().updateStatus(a.certificateId(), CertificateStatus.INACTIVE);
        registry.deleteCertificate(a.certificateId(), true);
        assertThat(registry.thingPrincipals("thing-a")).isEmpty();
        assertThat(registry.isAttached(a.certificateId())).isFalse();
    }

    @Test
    void expiredClaimsArePurged() {
        var claim = registry.certificates()
                .register(
                        ca.issueClientCertificate(
                                KeyAlgorithm.EC_P256.generate().getPublic(),
                                "claim",
                                clock.instant().plus(Duration.ofMinutes(5))),
                        CertificateStatus.ACTIVE,
                        "t1");
        assertThat(registry.purgeExpiredClaims(clock.instant())).isZero();
        assertThat(claim.mayConnect(clock.instant())).isTrue();
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(6)));
        assertThat(claim.mayConnect(clock.instant())).isFalse();
        assertThat(registry.purgeExpiredClaims(clock.instant())).isOne();
        assertThat(registry.certificates().find(claim.certificateId())).isEmpty();
    }

    @Test
    void onlyClaimsThatAreDueArePurgedAndADeletedClaimIsNotPurgedAgain() {
        var soon = claimExpiringIn(Duration.ofMinutes(2));
        var later = claimExpiringIn(Duration.ofMinutes(10));
        var deleted = claimExpiringIn(Duration.ofMinutes(1));
        var device = registry.certificates()
                .register(
                        ca.issueClientCertificate(
                                KeyAlgorithm.EC_P256.generate().getPublic(),
                                "device",
                                clock.instant().plus(Duration.ofMinutes(1))),
                        CertificateStatus.ACTIVE,
                        null);
        registry.deleteCertificate(deleted.certificateId(), false);

        now.updateAndGet(t -> t.plus(Duration.ofMinutes(5)));

        assertThat(registry.purgeExpiredClaims(clock.instant())).isOne();
        assertThat(registry.certificates().find(soon.certificateId())).isEmpty();
        assertThat(registry.certificates().find(later.certificateId())).contains(later);
        // Expired, but a device certificate: AWS keeps those (they only stop connecting).
        assertThat(registry.certificates().find(device.certificateId())).contains(device);
        assertThat(registry.purgeExpiredClaims(clock.instant())).isZero();

        now.updateAndGet(t -> t.plus(Duration.ofMinutes(6)));

        assertThat(registry.purgeExpiredClaims(clock.instant())).isOne();
        assertThat(registry.certificates().find(later.certificateId())).isEmpty();
        assertThat(registry.certificates().find(device.certificateId())).contains(device);
    }

    private CertificateRecord claimExpiringIn(Duration lifetime) {
        return registry.certificates()
                .register(
                        ca.issueClientCertificate(
                                KeyAlgorithm.EC_P256.generate().getPublic(),
                                "claim",
                                clock.instant().plus(lifetime)),
                        CertificateStatus.ACTIVE,
                        "t1");
    }

    private CertificateRecord register(CertificateStatus status, String claimTemplate) {
        var key = KeyAlgorithm.EC_P256.generate();
        return registry.certificates()
                .register(
                        ca.issueClientCertificate(
                                key.getPublic(), "c", clock.instant().plus(Duration.ofDays(1))),
                        status,
                        claimTemplate);
    }

    private static void assertError(Runnable call, ErrorType type) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.type()).isEqualTo(type));
    }
}
