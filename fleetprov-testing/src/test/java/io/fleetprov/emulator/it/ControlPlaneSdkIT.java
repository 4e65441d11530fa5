package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.testing.TestClock;
import io.fleetprov.testing.TestTemplates;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CreateProvisioningClaimResponse;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.EventType;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.MalformedPolicyException;
import software.amazon.awssdk.services.iot.model.ProvisioningHook;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingAttribute;
import software.amazon.awssdk.services.iot.model.ThrottlingException;
import software.amazon.awssdk.services.iot.model.VersionConflictException;

/** Every control-plane operation through the official aws-sdk-java-v2 IotClient, with its error cases. */
class ControlPlaneSdkIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String TEMPLATE = "sdk-claims";
    private static IotEmulator emulator;
    private static IotClient iot;
    private static IotClient iotPatch;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        iot = AwsClients.iot(emulator);
        iotPatch = AwsClients.iotWithPatch(emulator);
        iot.createProvisioningTemplate(r -> r.templateName(TEMPLATE)
                .templateBody(DEVICE_TEMPLATE)
                .provisioningRoleArn(TestTemplates.ROLE)
                .enabled(true));
    }

    @AfterAll
    static void stop() {
        iot.close();
        iotPatch.close();
        emulator.close();
    }

    // ---- CreateProvisioningClaim ----

    @Test
    void createProvisioningClaimReturnsAFiveMinuteClaimHiddenFromListCertificates() throws Exception {
        Instant before = Instant.now();
        CreateProvisioningClaimResponse claim = iot.createProvisioningClaim(r -> r.templateName(TEMPLATE));

        assertThat(claim.certificateId()).matches("[0-9a-f]{64}");
        assertThat(claim.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(claim.keyPair().privateKey()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(claim.keyPair().publicKey()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(claim.expiration()).isCloseTo(before.plusSeconds(300), within(5, ChronoUnit.SECONDS));
        assertThat(Pem.parseCertificate(claim.certificatePem()).getNotAfter().toInstant())
                .isEqualTo(claim.expiration());
        assertThat(claim.responseMetadata().requestId()).isNotBlank();
        assertThat(emulator.registry().certificates().get(claim.certificateId()).claimTemplate())
                .isEqualTo(TEMPLATE);
        assertThat(iot.listCertificatesPaginator(r -> r.pageSize(50)).certificates())
                .noneMatch(c -> c.certificateId().equals(claim.certificateId()));
    }

    @Test
    void createProvisioningClaimForAnUnknownTemplateIsResourceNotFound() {
        assertThatThrownBy(() -> iot.createProvisioningClaim(r -> r.templateName("no-such-template")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("no-such-template");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void createProvisioningClaimOverTheRateIsThrottledWithStatus400() {
        // A clock that never moves never refills the bucket: the second call is refused, deterministically.
        try (IotEmulator throttled = IotEmulator.start(EmulatorConfig.builder()
                        .forTests()
                        .clock(TestClock.stoppedNow())
                        .throttle("CreateProvisioningClaim", 1)
                        .build());
                IotClient client = AwsClients.iot(throttled)) {
            client.createProvisioningTemplate(r -> r.templateName("t")
                    .templateBody(DEVICE_TEMPLATE)
                    .provisioningRoleArn(TestTemplates.ROLE)
                    .enabled(true));
            client.createProvisioningClaim(r -> r.templateName("t"));
            assertThatThrownBy(() -> client.createProvisioningClaim(r -> r.templateName("t")))
                    .isInstanceOfSatisfying(ThrottlingException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                    });
        }
    }

    // ---- provisioning templates ----

    @Test
    void provisioningTemplateLifecycle() {
        String name = "lifecycle-" + shortId();
        var created = iot.createProvisioningTemplate(r -> r.templateName(name)
                .description("first")
                .templateBody(DEVICE_TEMPLATE)
                .provisioningRoleArn(TestTemplates.ROLE)
                .preProvisioningHook(ProvisioningHook.builder()
                        .targetArn("http://localhost:1/hook")
                        .build()));
        assertThat(created.templateArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:provisioningtemplate/" + name);
        assertThat(created.defaultVersionId()).isEqualTo(1);

        assertThatThrownBy(() -> iot.createProvisioningTemplate(r ->
                        r.templateName(name).templateBody(DEVICE_TEMPLATE).provisioningRoleArn(TestTemplates.ROLE)))
                .isInstanceOfSatisfying(
                        ResourceAlreadyExistsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));

        var described = iot.describeProvisioningTemplate(r -> r.templateName(name));
        assertThat(described.description()).isEqualTo("first");
        assertThat(described.enabled())
                .as("AWS creates templates disabled by default")
                .isFalse();
        assertThat(described.templateBody()).isEqualTo(DEVICE_TEMPLATE);
        assertThat(described.provisioningRoleArn()).isEqualTo(TestTemplates.ROLE);
        assertThat(described.preProvisioningHook().targetArn()).isEqualTo("http://localhost:1/hook");
        assertThat(described.preProvisioningHook().payloadVersion()).isEqualTo("2020-04-01");
        assertThat(described.typeAsString()).isEqualTo("FLEET_PROVISIONING");
        assertThat(described.creationDate()).isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));

        iotPatch.updateProvisioningTemplate(
                r -> r.templateName(name).description("second").enabled(true).removePreProvisioningHook(true));
        var updated = iot.describeProvisioningTemplate(r -> r.templateName(name));
        assertThat(updated.description()).isEqualTo("second");
        assertThat(updated.enabled()).isTrue();
        assertThat(updated.preProvisioningHook()).isNull();

        iot.deleteProvisioningTemplate(r -> r.templateName(name));
        assertThatThrownBy(() -> iot.describeProvisioningTemplate(r -> r.templateName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.deleteProvisioningTemplate(r -> r.templateName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void createProvisioningTemplateRefusesInvalidInput() {
        assertThatThrownBy(() -> iot.createProvisioningTemplate(r ->
                        r.templateName("bad-body").templateBody("{not json").provisioningRoleArn(TestTemplates.ROLE)))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> iot.createProvisioningTemplate(
                        r -> r.templateName("no-role").templateBody(DEVICE_TEMPLATE)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> iot.createProvisioningTemplate(r -> r.templateName("bad name!")
                        .templateBody(DEVICE_TEMPLATE)
                        .provisioningRoleArn(TestTemplates.ROLE)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void listProvisioningTemplatesPagesThroughEveryTemplate() {
        String prefix = "page-" + shortId() + "-";
        for (int i = 0; i < 5; i++) {
            String name = prefix + i;
            iot.createProvisioningTemplate(
                    r -> r.templateName(name).templateBody(DEVICE_TEMPLATE).provisioningRoleArn(TestTemplates.ROLE));
        }
        var pages = iot.listProvisioningTemplatesPaginator(r -> r.maxResults(2));
        List<String> names =
                pages.templates().stream().map(t -> t.templateName()).toList();
        assertThat(names)
                .containsSubsequence(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4)
                .doesNotHaveDuplicates();
        assertThat(pages.stream().count()).isGreaterThanOrEqualTo(3);
        assertThat(iot.listProvisioningTemplates(r -> r.maxResults(2)).nextToken())
                .isNotNull();
        assertThatThrownBy(() -> iot.listProvisioningTemplates(r -> r.nextToken("garbage")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> iot.listProvisioningTemplates(r -> r.maxResults(251)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void provisioningTemplateVersions() {
        String name = "versions-" + shortId();
        iot.createProvisioningTemplate(
                r -> r.templateName(name).templateBody(DEVICE_TEMPLATE).provisioningRoleArn(TestTemplates.ROLE));
        String v2Body = DEVICE_TEMPLATE.replace("device-", "v2-");

        var v2 = iot.createProvisioningTemplateVersion(
                r -> r.templateName(name).templateBody(v2Body).setAsDefault(true));
        assertThat(v2.versionId()).isEqualTo(2);
        assertThat(v2.isDefaultVersion()).isTrue();
        var v3 = iot.createProvisioningTemplateVersion(r -> r.templateName(name).templateBody(DEVICE_TEMPLATE));
        assertThat(v3.isDefaultVersion()).isFalse();

        assertThat(iot.describeProvisioningTemplate(r -> r.templateName(name)).defaultVersionId())
                .isEqualTo(2);
        assertThat(
                        iot
                                .listProvisioningTemplateVersionsPaginator(
                                        r -> r.templateName(name).maxResults(1))
                                .versions()
                                .stream()
                                .map(v -> v.versionId() + ":" + v.isDefaultVersion())
                                .toList())
                .containsExactly("1:false", "2:true", "3:false");

        var described = iot.describeProvisioningTemplateVersion(
                r -> r.templateName(name).versionId(2));
        assertThat(described.templateBody()).isEqualTo(v2Body);
        assertThat(described.isDefaultVersion()).isTrue();

        assertThatThrownBy(() -> iot.deleteProvisioningTemplateVersion(
                        r -> r.templateName(name).versionId(2)))
                .isInstanceOfSatisfying(
                        DeleteConflictException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        iot.deleteProvisioningTemplateVersion(r -> r.templateName(name).versionId(1));
        assertThatThrownBy(() -> iot.describeProvisioningTemplateVersion(
                        r -> r.templateName(name).versionId(1)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.createProvisioningTemplateVersion(
                        r -> r.templateName("missing-" + shortId()).templateBody(DEVICE_TEMPLATE)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ---- things ----

    @Test
    void thingLifecycle() {
        String name = "thing-" + shortId();
        var created = iot.createThing(
                r -> r.thingName(name).attributePayload(p -> p.attributes(Map.of("serial", "SN-1", "model", "m1"))));
        assertThat(created.thingArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:thing/" + name);
        assertThat(created.thingId()).isNotBlank();
        // Same name and attributes again is idempotent, as on AWS; different attributes conflict.
        assertThat(iot.createThing(r -> r.thingName(name)
                                .attributePayload(p -> p.attributes(Map.of("serial", "SN-1", "model", "m1"))))
                        .thingId())
                .isEqualTo(created.thingId());
        assertThatThrownBy(() -> iot.createThing(
                        r -> r.thingName(name).attributePayload(p -> p.attributes(Map.of("serial", "other")))))
                .isInstanceOfSatisfying(
                        ResourceAlreadyExistsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));

        var described = iot.describeThing(r -> r.thingName(name));
        assertThat(described.thingName()).isEqualTo(name);
        assertThat(described.defaultClientId()).isEqualTo(name);
        assertThat(described.thingId()).isEqualTo(created.thingId());
        assertThat(described.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("serial", "SN-1", "model", "m1"));
        assertThat(described.version()).isEqualTo(1L);

        assertThatThrownBy(() -> iot.deleteThing(r -> r.thingName(name).expectedVersion(7L)))
                .isInstanceOfSatisfying(
                        VersionConflictException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        iot.deleteThing(r -> r.thingName(name).expectedVersion(1L));
        assertThatThrownBy(() -> iot.describeThing(r -> r.thingName(name)))
                .isInstanceOfSatisfying(
                        ResourceNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> iot.createThing(r -> r.thingName("bad name")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void listThingsFiltersAndPages() {
        String batch = shortId();
        // Thing types must exist before things carry them, as on AWS; creating an identical type again is fine.
        iot.createThingType(r -> r.thingTypeName("sensor"));
        for (int i = 0; i < 5; i++) {
            String name = "list-" + batch + "-" + i;
            String floor = i < 3 ? "floor-1" : "floor-2";
            String type = i % 2 == 0 ? "sensor" : null;
            iot.createThing(r -> r.thingName(name)
                    .thingTypeName(type)
                    .attributePayload(p -> p.attributes(Map.of("batch", batch, "location", floor))));
        }
        var page = iot.listThings(
                r -> r.attributeName("batch").attributeValue(batch).maxResults(2));
        assertThat(page.things()).hasSize(2);
        assertThat(page.nextToken()).isNotNull();
        assertThat(iot
                        .listThingsPaginator(r ->
                                r.attributeName("batch").attributeValue(batch).maxResults(2))
                        .things()
                        .stream()
                        .map(ThingAttribute::thingName)
                        .toList())
                .containsExactly(
                        "list-" + batch + "-0",
                        "list-" + batch + "-1",
                        "list-" + batch + "-2",
                        "list-" + batch + "-3",
                        "list-" + batch + "-4");

        assertThat(iot
                        .listThingsPaginator(r ->
                                r.attributeName("batch").attributeValue(batch).thingTypeName("sensor"))
                        .things()
                        .stream()
                        .map(ThingAttribute::thingName)
                        .toList())
                .containsExactly("list-" + batch + "-0", "list-" + batch + "-2", "list-" + batch + "-4");
        assertThat(iot
                        .listThingsPaginator(r -> r.attributeName("location")
                                .attributeValue("floor-")
                                .usePrefixAttributeValue(true))
                        .things()
                        .stream()
                        .filter(t -> batch.equals(t.attributes().get("batch")))
                        .count())
                .isEqualTo(5);
        assertThat(iot.listThings(r -> r.attributeName("location").attributeValue("floor-"))
                        .things())
                .isEmpty();
        ThingAttribute first = iot.listThings(r -> r.attributeName("batch").attributeValue(batch))
                .things()
                .get(0);
        assertThat(first.thingArn()).endsWith(":thing/list-" + batch + "-0");
        assertThat(first.version()).isEqualTo(1L);
    }

    // ---- certificates, policies, principals ----

    @Test
    void certificateLifecycle() {
        CertificateRecord cert = deviceCertificate();
        var description = iot.describeCertificate(r -> r.certificateId(cert.certificateId()))
                .certificateDescription();
        assertThat(description.certificateArn()).isEqualTo(cert.certificateArn());
        assertThat(description.statusAsString()).isEqualTo("ACTIVE");
        assertThat(description.certificatePem()).isEqualTo(cert.certificatePem());
        assertThat(description.ownedBy()).isEqualTo("123456789012");
        assertThat(description.validity().notAfter()).isEqualTo(cert.notAfter());
        assertThat(description.certificateModeAsString()).isEqualTo("DEFAULT");

        assertThatThrownBy(() -> iot.deleteCertificate(r -> r.certificateId(cert.certificateId())))
                .isInstanceOfSatisfying(
                        CertificateStateException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(406));
        iot.updateCertificate(r -> r.certificateId(cert.certificateId()).newStatus("INACTIVE"));
        assertThat(iot.describeCertificate(r -> r.certificateId(cert.certificateId()))
                        .certificateDescription()
                        .statusAsString())
                .isEqualTo("INACTIVE");
        assertThatThrownBy(() -> iot.updateCertificate(
                        r -> r.certificateId(cert.certificateId()).newStatus("BOGUS")))
                .isInstanceOf(InvalidRequestException.class);

        String thing = "cert-thing-" + shortId();
        iot.createThing(r -> r.thingName(thing));
        iot.attachThingPrincipal(r -> r.thingName(thing).principal(cert.certificateArn()));
        assertThatThrownBy(() -> iot.deleteCertificate(r -> r.certificateId(cert.certificateId())))
                .isInstanceOfSatisfying(
                        DeleteConflictException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        iot.deleteCertificate(r -> r.certificateId(cert.certificateId()).forceDelete(true));
        assertThatThrownBy(() -> iot.describeCertificate(r -> r.certificateId(cert.certificateId())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(iot.listThingPrincipals(r -> r.thingName(thing)).principals())
                .isEmpty();
    }

    @Test
    void listCertificatesPagesInBothOrders() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deviceCertificate().certificateId());
        }
        List<String> ascending =
                iot.listCertificatesPaginator(r -> r.pageSize(2).ascendingOrder(true)).certificates().stream()
                        .map(c -> c.certificateId())
                        .toList();
        assertThat(ascending).containsSubsequence(ids).doesNotHaveDuplicates();
        List<String> descending =
                iot.listCertificatesPaginator(r -> r.pageSize(2).ascendingOrder(false)).certificates().stream()
                        .map(c -> c.certificateId())
                        .toList();
        assertThat(descending).containsSubsequence(ids.get(2), ids.get(1), ids.get(0));
        var firstPage = iot.listCertificates(r -> r.pageSize(1));
        assertThat(firstPage.certificates()).hasSize(1);
        assertThat(firstPage.nextMarker()).isNotNull();
        assertThat(firstPage.certificates().get(0).statusAsString()).isEqualTo("ACTIVE");
        assertThat(firstPage.certificates().get(0).creationDate()).isNotNull();
    }

    @Test
    void policiesAndAttachments() {
        String policy = "policy-" + shortId();
        var created = iot.createPolicy(r -> r.policyName(policy).policyDocument(TestTemplates.ALLOW_ALL_POLICY));
        assertThat(created.policyArn()).isEqualTo("arn:aws:iot:us-east-1:123456789012:policy/" + policy);
        assertThat(created.policyVersionId()).isEqualTo("1");
        assertThatThrownBy(() ->
                        iot.createPolicy(r -> r.policyName(policy).policyDocument(TestTemplates.ALLOW_ALL_POLICY)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() ->
                        iot.createPolicy(r -> r.policyName("bad-" + shortId()).policyDocument("{\"Statement\": 42}")))
                .isInstanceOfSatisfying(
                        MalformedPolicyException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));

        var fetched = iot.getPolicy(r -> r.policyName(policy));
        assertThat(fetched.policyDocument()).isEqualTo(TestTemplates.ALLOW_ALL_POLICY);
        assertThat(fetched.defaultVersionId()).isEqualTo("1");
        assertThat(fetched.creationDate()).isNotNull();
        assertThatThrownBy(() -> iot.getPolicy(r -> r.policyName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);

        CertificateRecord cert = deviceCertificate();
        iot.attachPolicy(r -> r.policyName(policy).target(cert.certificateArn()));
        var attached = iot.listAttachedPolicies(r -> r.target(cert.certificateArn()));
        assertThat(attached.policies()).singleElement().satisfies(p -> {
            assertThat(p.policyName()).isEqualTo(policy);
            assertThat(p.policyArn()).isEqualTo(created.policyArn());
        });
        assertThatThrownBy(() -> iot.attachPolicy(
                        r -> r.policyName("missing-" + shortId()).target(cert.certificateArn())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.attachPolicy(
                        r -> r.policyName(policy).target("arn:aws:iot:us-east-1:123456789012:cert/" + "0".repeat(64))))
                .isInstanceOf(ResourceNotFoundException.class);
        iot.detachPolicy(r -> r.policyName(policy).target(cert.certificateArn()));
        assertThat(iot.listAttachedPolicies(r -> r.target(cert.certificateArn()))
                        .policies())
                .isEmpty();
    }

    @Test
    void thingPrincipals() {
        CertificateRecord cert = deviceCertificate();
        String a = "principal-a-" + shortId();
        String b = "principal-b-" + shortId();
        iot.createThing(r -> r.thingName(a));
        iot.createThing(r -> r.thingName(b));
        iot.attachThingPrincipal(r -> r.thingName(a).principal(cert.certificateArn()));
        iot.attachThingPrincipal(r -> r.thingName(b).principal(cert.certificateArn()));

        assertThat(iot.listThingPrincipals(r -> r.thingName(a)).principals()).containsExactly(cert.certificateArn());
        assertThat(iot.listPrincipalThingsPaginator(
                                r -> r.principal(cert.certificateArn()).maxResults(1))
                        .things())
                .containsExactlyInAnyOrder(a, b);
        assertThatThrownBy(() -> iot.attachThingPrincipal(
                        r -> r.thingName("missing-" + shortId()).principal(cert.certificateArn())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.listThingPrincipals(r -> r.thingName("missing-" + shortId())))
                .isInstanceOf(ResourceNotFoundException.class);
        iot.detachThingPrincipal(r -> r.thingName(b).principal(cert.certificateArn()));
        assertThat(iot.listPrincipalThings(r -> r.principal(cert.certificateArn()))
                        .things())
                .containsExactly(a);
    }

    // ---- endpoint and event configurations ----

    @Test
    void describeEndpointAnswersTheBrokersHostAndPort() {
        assertThat(iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")).endpointAddress())
                .isEqualTo("localhost:" + emulator.mqttPort());
        assertThat(iot.describeEndpoint(r -> {}).endpointAddress()).isEqualTo(emulator.mqttEndpoint());
        assertThatThrownBy(() -> iot.describeEndpoint(r -> r.endpointType("iot:Nonsense")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void eventConfigurations() {
        var before = iot.describeEventConfigurations(r -> {});
        assertThat(before.eventConfigurations()).containsKeys(EventType.THING, EventType.CERTIFICATE);
        assertThat(before.creationDate()).isNotNull();

        iotPatch.updateEventConfigurations(r -> r.eventConfigurationsWithStrings(Map.of(
                "THING",
                software.amazon.awssdk.services.iot.model.Configuration.builder()
                        .enabled(true)
                        .build())));
        var after = iot.describeEventConfigurations(r -> {});
        assertThat(after.eventConfigurations().get(EventType.THING).enabled()).isTrue();
        assertThat(after.eventConfigurations().get(EventType.THING_GROUP).enabled())
                .isFalse();
        assertThat(emulator.registry().eventConfigurations().current().isEnabled("THING"))
                .isTrue();

        assertThatThrownBy(() -> iotPatch.updateEventConfigurations(r -> r.eventConfigurationsWithStrings(Map.of(
                        "NOT_A_TYPE",
                        software.amazon.awssdk.services.iot.model.Configuration.builder()
                                .enabled(true)
                                .build()))))
                .isInstanceOf(InvalidRequestException.class);
        iotPatch.updateEventConfigurations(r -> r.eventConfigurationsWithStrings(Map.of(
                "THING",
                software.amazon.awssdk.services.iot.model.Configuration.builder()
                        .enabled(false)
                        .build())));
        assertThat(emulator.registry().eventConfigurations().current().isEnabled("THING"))
                .isFalse();
    }

    @Test
    void errorsCarryTheAwsErrorCodeAndRequestId() {
        assertThatThrownBy(() -> iot.describeThing(r -> r.thingName("missing-" + shortId())))
                .isInstanceOfSatisfying(IotException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    /** A device certificate as RegisterThing would leave it (the control plane has no way to mint one). */
    private static CertificateRecord deviceCertificate() {
        var key = KeyAlgorithm.EC_P256.generate();
        var x509 = emulator.ca()
                .issueClientCertificate(
                        key.getPublic(), "AWS IoT Certificate", Instant.now().plus(365, ChronoUnit.DAYS));
        return emulator.registry().certificates().register(x509, CertificateStatus.ACTIVE, null);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
