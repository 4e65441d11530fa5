package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.CsrBuilder;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateStatus;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateValidationException;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.GroupNameAndArn;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.MalformedPolicyException;
import software.amazon.awssdk.services.iot.model.PolicyVersion;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.VersionConflictException;
import software.amazon.awssdk.services.iot.model.VersionsLimitExceededException;

/**
 * The control-plane operations a user-managed claim needs, through the official aws-sdk-java-v2 IotClient:
 * certificates the user creates or registers, policy versions, UpdateThing, thing types and thing groups.
 */
class ControlPlaneRegistrySdkIT {

    private static final String POLICY_V1 = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}""";
    private static final String POLICY_V2 = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}""";

    private static IotEmulator emulator;
    private static IotClient iot;
    private static IotClient iotPatch;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        iot = AwsClients.iot(emulator);
        iotPatch = AwsClients.iotWithPatch(emulator);
    }

    @AfterAll
    static void stop() {
        iot.close();
        iotPatch.close();
        emulator.close();
    }

    // ---- certificates ----

    @Test
    void createKeysAndCertificate() throws Exception {
        var created = iot.createKeysAndCertificate(r -> r.setAsActive(true));
        assertThat(created.certificateId()).matches("[0-9a-f]{64}");
        assertThat(created.certificateArn()).endsWith(":cert/" + created.certificateId());
        assertThat(created.keyPair().privateKey()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(created.keyPair().publicKey())
                .isEqualTo(Pem.publicKey(
                        Pem.parseCertificate(created.certificatePem()).getPublicKey()));
        var description = iot.describeCertificate(r -> r.certificateId(created.certificateId()))
                .certificateDescription();
        assertThat(description.statusAsString()).isEqualTo("ACTIVE");
        assertThat(emulator.registry()
                        .certificates()
                        .get(created.certificateId())
                        .isClaim())
                .as("a user-managed claim is an ordinary certificate")
                .isFalse();

        var inactive = iot.createKeysAndCertificate(r -> {});
        assertThat(iot.describeCertificate(r -> r.certificateId(inactive.certificateId()))
                        .certificateDescription()
                        .statusAsString())
                .isEqualTo("INACTIVE");
    }

    @Test
    void createCertificateFromCsr() {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        var created = iot.createCertificateFromCsr(r ->
                r.certificateSigningRequest(CsrBuilder.build(key, "csr-device")).setAsActive(true));
        assertThat(Pem.parseCertificate(created.certificatePem()).getPublicKey())
                .isEqualTo(key.getPublic());
        assertThat(emulator.registry()
                        .certificates()
                        .get(created.certificateId())
                        .status())
                .isEqualTo(CertificateStatus.ACTIVE);
        assertThatThrownBy(() -> iot.createCertificateFromCsr(r -> r.certificateSigningRequest("not a csr")))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void registerCertificateIssuedByTheRegisteredCa() {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        String pem = Pem.certificate(emulator.ca()
                .issueClientCertificate(
                        key.getPublic(), "registered", Instant.now().plus(1, ChronoUnit.DAYS)));
        var registered = iot.registerCertificate(r -> r.certificatePem(pem)
                .caCertificatePem(emulator.caCertificatePem())
                .setAsActive(true));
        assertThat(iot.describeCertificate(r -> r.certificateId(registered.certificateId()))
                        .certificateDescription()
                        .statusAsString())
                .isEqualTo("ACTIVE");
        assertThatThrownBy(() -> iot.registerCertificate(r -> r.certificatePem(pem)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        String foreign = selfSigned("foreign");
        assertThatThrownBy(() -> iot.registerCertificate(r -> r.certificatePem(foreign)))
                .isInstanceOfSatisfying(
                        CertificateValidationException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(emulator.registry()
                        .certificates()
                        .get(registered.certificateId())
                        .status())
                .isEqualTo(CertificateStatus.ACTIVE);
    }

    @Test
    void registerCertificateWithoutCa() {
        String foreign = selfSigned("multi-account");
        var registered = iot.registerCertificateWithoutCA(r -> r.certificatePem(foreign));
        assertThat(iot.describeCertificate(r -> r.certificateId(registered.certificateId()))
                        .certificateDescription()
                        .statusAsString())
                .as("registered certificates start INACTIVE")
                .isEqualTo("INACTIVE");
        assertThatThrownBy(() -> iot.registerCertificateWithoutCA(r -> r.certificatePem("garbage")))
                .isInstanceOf(CertificateValidationException.class);
        assertThatThrownBy(() -> iot.registerCertificateWithoutCA(
                        r -> r.certificatePem(selfSigned("x")).status("PENDING_TRANSFER")))
                .isInstanceOf(InvalidRequestException.class);
    }

    // ---- policies ----

    @Test
    void policyVersionsUpToFive() {
        String name = "versioned-" + shortId();
        iot.createPolicy(r -> r.policyName(name).policyDocument(POLICY_V1));
        var v2 = iot.createPolicyVersion(r -> r.policyName(name).policyDocument(POLICY_V2));
        assertThat(v2.policyVersionId()).isEqualTo("2");
        assertThat(v2.isDefaultVersion()).isFalse();
        assertThat(iot.getPolicy(r -> r.policyName(name)).defaultVersionId()).isEqualTo("1");
        for (int i = 3; i <= 5; i++) {
            iot.createPolicyVersion(r -> r.policyName(name).policyDocument(POLICY_V2));
        }
        assertThatThrownBy(() -> iot.createPolicyVersion(r -> r.policyName(name).policyDocument(POLICY_V2)))
                .isInstanceOfSatisfying(
                        VersionsLimitExceededException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> iot.createPolicyVersion(r -> r.policyName(name).policyDocument("{}")))
                .isInstanceOf(MalformedPolicyException.class);

        iotPatch.setDefaultPolicyVersion(r -> r.policyName(name).policyVersionId("2"));
        var policy = iot.getPolicy(r -> r.policyName(name));
        assertThat(policy.defaultVersionId()).isEqualTo("2");
        assertThat(policy.policyDocument()).isEqualTo(POLICY_V2);
        assertThat(iot.listPolicyVersions(r -> r.policyName(name)).policyVersions())
                .extracting(PolicyVersion::versionId, PolicyVersion::isDefaultVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", false),
                        org.assertj.core.groups.Tuple.tuple("2", true),
                        org.assertj.core.groups.Tuple.tuple("3", false),
                        org.assertj.core.groups.Tuple.tuple("4", false),
                        org.assertj.core.groups.Tuple.tuple("5", false));
        var v1 = iot.getPolicyVersion(r -> r.policyName(name).policyVersionId("1"));
        assertThat(v1.policyDocument()).isEqualTo(POLICY_V1);
        assertThat(v1.isDefaultVersion()).isFalse();
        assertThat(v1.creationDate()).isCloseTo(Instant.now(), within(30, ChronoUnit.SECONDS));
        assertThatThrownBy(() -> iot.getPolicyVersion(r -> r.policyName(name).policyVersionId("9")))
                .isInstanceOf(ResourceNotFoundException.class);

        assertThatThrownBy(() -> iot.deletePolicyVersion(r -> r.policyName(name).policyVersionId("2")))
                .isInstanceOf(DeleteConflictException.class);
        assertThatThrownBy(() -> iot.deletePolicy(r -> r.policyName(name)))
                .as("a policy with non-default versions")
                .isInstanceOf(DeleteConflictException.class);
        for (String id : List.of("1", "3", "4", "5")) {
            iot.deletePolicyVersion(r -> r.policyName(name).policyVersionId(id));
        }
        iot.deletePolicy(r -> r.policyName(name));
        assertThatThrownBy(() -> iot.getPolicy(r -> r.policyName(name))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listAndDeletePolicies() {
        String prefix = "listed-" + shortId() + "-";
        for (int i = 0; i < 3; i++) {
            String name = prefix + i;
            iot.createPolicy(r -> r.policyName(name).policyDocument(POLICY_V1));
        }
        List<String> names = iot.listPoliciesPaginator(r -> r.pageSize(2)).policies().stream()
                .map(p -> p.policyName())
                .filter(n -> n.startsWith(prefix))
                .toList();
        assertThat(names).containsExactly(prefix + 0, prefix + 1, prefix + 2);
        assertThat(iot.listPolicies(r -> r.pageSize(1)).nextMarker()).isNotNull();

        var certificate = iot.createKeysAndCertificate(r -> r.setAsActive(true));
        iot.attachPolicy(r -> r.policyName(prefix + 0).target(certificate.certificateArn()));
        assertThatThrownBy(() -> iot.deletePolicy(r -> r.policyName(prefix + 0)))
                .as("an attached policy")
                .isInstanceOfSatisfying(
                        DeleteConflictException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(iot.listAttachedPolicies(r -> r.target(certificate.certificateArn()))
                        .policies())
                .hasSize(1);
        iot.deletePolicy(r -> r.policyName(prefix + 1));
        assertThatThrownBy(() -> iot.deletePolicy(r -> r.policyName(prefix + 1)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ---- things, types, groups ----

    @Test
    void thingTypes() {
        String type = "type-" + shortId();
        var created = iot.createThingType(r -> r.thingTypeName(type)
                .thingTypeProperties(p -> p.thingTypeDescription("sensors").searchableAttributes("serial")));
        assertThat(created.thingTypeArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:thingtype/" + type);
        var described = iot.describeThingType(r -> r.thingTypeName(type));
        assertThat(described.thingTypeId()).isEqualTo(created.thingTypeId());
        assertThat(described.thingTypeProperties().thingTypeDescription()).isEqualTo("sensors");
        assertThat(described.thingTypeProperties().searchableAttributes()).containsExactly("serial");
        assertThat(described.thingTypeMetadata().deprecated()).isFalse();
        assertThat(described.thingTypeMetadata().creationDate())
                .isCloseTo(Instant.now(), within(30, ChronoUnit.SECONDS));
        assertThatThrownBy(() -> iot.describeThingType(r -> r.thingTypeName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() ->
                        iot.createThing(r -> r.thingName("typed-" + shortId()).thingTypeName("missing")))
                .isInstanceOfSatisfying(
                        ResourceNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> iot.createThingType(r -> r.thingTypeName("bad type")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void updateThing() {
        String type = "type-" + shortId();
        iot.createThingType(r -> r.thingTypeName(type));
        String name = "updated-" + shortId();
        iot.createThing(r -> r.thingName(name).attributePayload(p -> p.attributes(Map.of("a", "1", "b", "2"))));

        Map<String, String> change = new HashMap<>();
        change.put("a", "");
        change.put("c", "3");
        change.put("d", "4");
        change.put("e", "5");
        iotPatch.updateThing(r -> r.thingName(name)
                .thingTypeName(type)
                .expectedVersion(1L)
                .attributePayload(p -> p.attributes(change).merge(true)));
        var thing = iot.describeThing(r -> r.thingName(name));
        assertThat(thing.attributes())
                .containsOnly(Map.entry("b", "2"), Map.entry("c", "3"), Map.entry("d", "4"), Map.entry("e", "5"));
        assertThat(thing.thingTypeName()).isEqualTo(type);
        assertThat(thing.version()).isEqualTo(2L);

        assertThatThrownBy(() -> iotPatch.updateThing(
                        r -> r.thingName(name).expectedVersion(1L).attributePayload(p -> p.attributes(Map.of()))))
                .isInstanceOfSatisfying(
                        VersionConflictException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> iotPatch.updateThing(r -> r.thingName(name).removeThingType(true)))
                .as("three attributes is the most a thing without a type may have")
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> iotPatch.updateThing(r -> r.thingName(name)
                        .attributePayload(
                                p -> p.attributes(Map.of("f", "no spaces")).merge(true))))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(iot.describeThing(r -> r.thingName(name)).version())
                .as("refused updates change nothing")
                .isEqualTo(2L);
        assertThatThrownBy(() -> iotPatch.updateThing(r -> r.thingName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void thingGroups() {
        String root = "root-" + shortId();
        String child = "child-" + shortId();
        var created = iot.createThingGroup(
                r -> r.thingGroupName(root).thingGroupProperties(p -> p.thingGroupDescription("all devices")));
        assertThat(created.thingGroupArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:thinggroup/" + root);
        iot.createThingGroup(r -> r.thingGroupName(child).parentGroupName(root));
        assertThatThrownBy(() -> iot.createThingGroup(
                        r -> r.thingGroupName("orphan-" + shortId()).parentGroupName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);

        String thing = "grouped-" + shortId();
        iot.createThing(r -> r.thingName(thing));
        iot.addThingToThingGroup(r -> r.thingGroupName(child).thingName(thing));
        iot.addThingToThingGroup(r -> r.thingGroupArn(created.thingGroupArn()).thingName(thing));
        assertThat(iot.listThingGroupsForThingPaginator(r -> r.thingName(thing).maxResults(1)).thingGroups().stream()
                        .map(GroupNameAndArn::groupName)
                        .toList())
                .containsExactlyInAnyOrder(root, child);
        assertThatThrownBy(() -> iot.addThingToThingGroup(
                        r -> r.thingGroupName("missing").thingName(thing)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() ->
                        iot.addThingToThingGroup(r -> r.thingGroupName(root).thingName("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.listThingGroupsForThing(r -> r.thingName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void createThingChecksAttributesAsAwsDoes() {
        assertThatThrownBy(() -> iot.createThing(r -> r.thingName("four-" + shortId())
                        .attributePayload(p -> p.attributes(Map.of("a", "1", "b", "2", "c", "3", "d", "4")))))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("at most 3 attributes"));
        assertThatThrownBy(() -> iot.createThing(
                        r -> r.thingName("bad-" + shortId()).attributePayload(p -> p.attributes(Map.of("a", "x y")))))
                .isInstanceOf(InvalidRequestException.class);
        String type = "wide-" + shortId();
        iot.createThingType(r -> r.thingTypeName(type));
        iot.createThing(r -> r.thingName("four-" + shortId())
                .thingTypeName(type)
                .attributePayload(p -> p.attributes(Map.of("a", "1", "b", "2", "c", "3", "d", "4"))));
    }

    /** A certificate from a CA the emulator does not know. */
    static String selfSigned(String commonName) {
        try {
            KeyPair key = KeyAlgorithm.EC_P256.generate();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            var holder = new JcaX509v3CertificateBuilder(
                            name,
                            java.math.BigInteger.valueOf(now.toEpochMilli()),
                            java.util.Date.from(now.minus(1, ChronoUnit.HOURS)),
                            java.util.Date.from(now.plus(1, ChronoUnit.DAYS)),
                            name,
                            key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            return Pem.certificate(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
