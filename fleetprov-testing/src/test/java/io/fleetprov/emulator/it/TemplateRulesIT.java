package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.ErrorResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import io.fleetprov.testing.TestTemplates;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RegisterThing refuses what AWS's registry refuses — a thing name or attribute outside AWS's patterns, more
 * attributes than the thing may have, a thing type or group that does not exist — each with the rejected payload the
 * device gets, and a refusal costs nothing: no thing, the certificate still pending, the token still good.
 */
class TemplateRulesIT {

    private static final String PLAIN = "rules-plain";
    private static final String MANY = "rules-many";
    private static final String TYPED = "rules-typed";

    private static final String CERTIFICATE = """
            "certificate": {"Type": "AWS::IoT::Certificate",
              "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}}""";
    private static final String PARAMETERS = """
            "Parameters": {"SerialNumber": {"Type": "String"}, "Note": {"Type": "String", "Default": "ok"},
                           "AWS::IoT::Certificate::Id": {"Type": "String"}}""";

    private static IotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        create(
                PLAIN,
                "\"ThingName\": {\"Ref\": \"SerialNumber\"}, \"AttributePayload\": {\"note\": {\"Ref\": \"Note\"}}");
        create(
                MANY,
                "\"ThingName\": {\"Ref\": \"SerialNumber\"}, "
                        + "\"AttributePayload\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\", \"d\": \"4\"}");
        create(
                TYPED,
                "\"ThingName\": {\"Ref\": \"SerialNumber\"}, \"ThingTypeName\": \"rules-type\", "
                        + "\"ThingGroups\": [\"rules-group\"], "
                        + "\"AttributePayload\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\", \"d\": \"4\"}");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void thingNamesOutsideAwsPatternAreRejected() throws Exception {
        for (String name : new String[] {"bad name!", "x".repeat(129), "slash/name"}) {
            var result = register(PLAIN, Map.of("SerialNumber", name));
            assertRejected(result, 400, "InvalidParameters", "Invalid thing name");
        }
    }

    @Test
    void attributeValuesOutsideAwsPatternAreRejected() throws Exception {
        for (String note : new String[] {"has space", "x".repeat(801), "quote\"d"}) {
            String serial = serial();
            var result = register(PLAIN, Map.of("SerialNumber", serial, "Note", note));
            assertRejected(result, 400, "InvalidParameters", "Invalid value of attribute note");
            assertThat(emulator.registry().things().find(serial)).isEmpty();
        }
        String serial = serial();
        var ok = register(PLAIN, Map.of("SerialNumber", serial, "Note", "a-Z_0.9,@/:#=[]" + "x".repeat(780)));
        assertThat(ok.reply().accepted()).as(ok.reply().text()).isTrue();
    }

    @Test
    void moreThanThreeAttributesNeedAThingType() throws Exception {
        String serial = serial();
        var result = register(MANY, Map.of("SerialNumber", serial));
        assertRejected(result, 400, "InvalidParameters", "at most 3 attributes");
        assertThat(emulator.registry().things().find(serial)).isEmpty();
    }

    @Test
    void thingTypeAndGroupMustExistAndTheTokenSurvivesTheRefusals() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TYPED);
        String serial = serial();
        try (var device = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var keys = createKeys(device);
            byte[] request =
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", serial)));
            String topic = FleetTopics.registerThing(TYPED, PayloadFormat.JSON);

            assertRejected(new Result(device.request(topic, request), keys), 404, "ResourceNotFound", "rules-type");
            emulator.registry().thingTypes().create("rules-type", null, null);
            assertRejected(new Result(device.request(topic, request), keys), 404, "ResourceNotFound", "rules-group");
            assertThat(emulator.registry().things().find(serial)).isEmpty();
            assertThat(emulator.registry()
                            .certificates()
                            .get(keys.certificateId())
                            .status())
                    .isEqualTo(CertificateStatus.PENDING_ACTIVATION);

            emulator.registry().thingGroups().create("rules-group", null, null, null);
            var reply = device.request(topic, request);
            assertThat(reply.accepted()).as(reply.text()).isTrue();
            assertThat(PayloadCodec.json()
                            .decode(reply.payload(), RegisterThingResponse.class)
                            .thingName())
                    .isEqualTo(serial);
        }
        var thing = emulator.registry().things().get(serial);
        assertThat(thing.thingTypeName()).isEqualTo("rules-type");
        assertThat(thing.thingGroups()).containsExactly("rules-group");
        assertThat(thing.attributes()).hasSize(4);
    }

    record Result(Devices.Reply reply, CreateKeysAndCertificateResponse keys) {}

    /** One claim, one CreateKeysAndCertificate, one RegisterThing. */
    private static Result register(String template, Map<String, String> parameters) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(template);
        try (var device =
                Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial())) {
            var keys = createKeys(device);
            var reply = device.request(
                    FleetTopics.registerThing(template, PayloadFormat.JSON),
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), parameters)));
            return new Result(reply, keys);
        }
    }

    private static void assertRejected(Result result, int statusCode, String errorCode, String messagePart) {
        assertThat(result.reply().accepted()).as(result.reply().text()).isFalse();
        ErrorResponse error = PayloadCodec.json().decode(result.reply().payload(), ErrorResponse.class);
        assertThat(error.statusCode()).isEqualTo(statusCode);
        assertThat(error.errorCode()).isEqualTo(errorCode);
        assertThat(error.errorMessage()).contains(messagePart);
        // Nothing of the refused plan was applied.
        assertThat(emulator.registry()
                        .certificates()
                        .get(result.keys().certificateId())
                        .status())
                .isEqualTo(CertificateStatus.PENDING_ACTIVATION);
        assertThat(emulator.registry().isAttached(result.keys().certificateId()))
                .isFalse();
    }

    private static CreateKeysAndCertificateResponse createKeys(Devices.RawDevice device) throws Exception {
        var reply = device.request(FleetTopics.createKeysAndCertificate(PayloadFormat.JSON), "{}".getBytes());
        assertThat(reply.accepted()).as(reply.text()).isTrue();
        return PayloadCodec.json().decode(reply.payload(), CreateKeysAndCertificateResponse.class);
    }

    private static void create(String name, String thingProperties) {
        String body = "{" + PARAMETERS + ", \"Resources\": {" + CERTIFICATE
                + ", \"thing\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {" + thingProperties + "}}}}";
        emulator.registry().templates().create(name, null, body, true, TestTemplates.ROLE, null, null);
    }

    private static byte[] json(Object value) {
        return PayloadCodec.json().encode(value);
    }

    private static String serial() {
        return "SN-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
