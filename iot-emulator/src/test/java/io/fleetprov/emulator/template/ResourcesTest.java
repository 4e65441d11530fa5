package io.fleetprov.emulator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AWS::IoT::Thing, AWS::IoT::Certificate, AWS::IoT::Policy and their OverrideSettings. */
class ResourcesTest {

    private static final String CERT_ID = "cert-abc";

    private final TemplateEngine engine = new TemplateEngine();

    private static String withResources(String resources) {
        return """
                {"Parameters": {"Serial": {"Type": "String"}, "Group": {"Type": "String", "Default": "g-default"},
                                "Status": {"Type": "String", "Default": "inactive"}},
                 "Resources": %s}""".formatted(resources);
    }

    private ProvisioningPlan evaluate(String resources, Map<String, String> parameters) {
        return engine.evaluate(withResources(resources), parameters, CERT_ID);
    }

    private ProvisioningPlan evaluate(String resources) {
        return evaluate(resources, Map.of("Serial", "SN1"));
    }

    private static void assertInvalidTemplate(Runnable call, String... messageParts) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidTemplate");
            assertThat(e.getMessage()).contains(messageParts);
        });
    }

    private void assertRefused(String resources, String... messageParts) {
        assertInvalidTemplate(() -> engine.validate(withResources(resources)), messageParts);
    }

    // Thing

    @Test
    void thingWithEveryProperty() {
        ThingSpec thing = evaluate("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {
                   "ThingName": {"Ref": "Serial"},
                   "AttributePayload": {"serial": {"Ref": "Serial"}, "rev": 3},
                   "ThingTypeName": "Sensor",
                   "ThingGroups": ["all", {"Ref": "Group"}],
                   "BillingGroup": "Standard"}}}""").thing();
        assertThat(thing)
                .isEqualTo(new ThingSpec(
                        "SN1",
                        Map.of("serial", "SN1", "rev", "3"),
                        "Sensor",
                        java.util.List.of("all", "g-default"),
                        "Standard",
                        Map.of()));
    }

    @Test
    void thingGroupsMayComeFromSplit() {
        ThingSpec thing = evaluate("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {
                   "ThingName": "fixed", "ThingGroups": {"Fn::Split": [",", "a,b"]}}}}""").thing();
        assertThat(thing.thingGroups()).containsExactly("a", "b");
    }

    @Test
    void thingGroupsAsAStringIsRefused() {
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x", "ThingGroups": "g"}}}""", "ThingGroups must be a list");
        assertInvalidTemplate(() -> evaluate("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x", "ThingGroups": {"Ref": "Group"}}}}"""), "ThingGroups must be a list, got 'g-default'");
    }

    @Test
    void thingNameIsRequired() {
        assertRefused("{\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {}}}", "ThingName is required");
        assertRefused("{\"t\": {\"Type\": \"AWS::IoT::Thing\"}}", "ThingName is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "slash/name", "", "dot.name"})
    void invalidThingNameIsAParameterError(String serial) {
        assertThatThrownBy(() -> evaluate("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Serial"}}}}""", Map.of("Serial", serial)))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidParameters");
                    assertThat(e.getMessage()).startsWith("Invalid thing name '" + serial + "'");
                });
    }

    @Test
    void thingNameLimitIs128Characters() {
        String resources = """
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Serial"}}}}""";
        assertThat(evaluate(resources, Map.of("Serial", "a:b_c-D9".repeat(16)))
                        .thing()
                        .thingName())
                .hasSize(128);
        assertThatThrownBy(() -> evaluate(resources, Map.of("Serial", "x".repeat(129))))
                .hasMessageContaining("Invalid thing name");
    }

    @Test
    void attributePayloadMustBeFlat() {
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x",
                   "AttributePayload": {"nested": {"a": "b"}}}}}""", "AttributePayload.nested: nested objects and lists are not supported");
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x",
                   "AttributePayload": {"list": ["a"]}}}}""", "AttributePayload.list: nested objects and lists are not supported");
    }

    @Test
    void unknownThingPropertyIsRefused() {
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x", "ThingGroup": ["g"]}}}""", "Unsupported Resources.t.Properties property 'ThingGroup'");
    }

    @Test
    void onlyOneThingPerTemplate() {
        assertRefused("""
                {"a": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"}},
                 "b": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "y"}}}""", "only one AWS::IoT::Thing", "already declared as a");
    }

    // Thing OverrideSettings

    @Test
    void thingOverridesAcceptBothKeySpellings() {
        ThingSpec thing = evaluate("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"ATTRIBUTE_PAYLOAD": "REPLACE", "ThingGroups": "MERGE",
                                        "THING_TYPE_NAME": "FAIL", "BillingGroup": "DO_NOTHING"}}}""").thing();
        assertThat(thing.overrides())
                .containsOnly(
                        entry(ThingProperty.ATTRIBUTE_PAYLOAD, OverrideAction.REPLACE),
                        entry(ThingProperty.THING_GROUPS, OverrideAction.MERGE),
                        entry(ThingProperty.THING_TYPE_NAME, OverrideAction.FAIL),
                        entry(ThingProperty.BILLING_GROUP, OverrideAction.DO_NOTHING));
    }

    @Test
    void thingWithoutOverrideSettingsHasNoOverrides() {
        assertThat(evaluate("{\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": \"x\"}}}")
                        .thing()
                        .overrides())
                .isEmpty();
    }

    @Test
    void mergeIsOnlyForAttributePayloadAndThingGroups() {
        assertRefused(
                """
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"ThingTypeName": "MERGE"}}}""", "OverrideSettings.ThingTypeName: MERGE is only allowed for AttributePayload and ThingGroups");
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"BILLING_GROUP": "MERGE"}}}""", "MERGE is only allowed");
    }

    @Test
    void badOverrideKeysAndValuesAreRefused() {
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"ThingName": "REPLACE"}}}""", "Unsupported override setting 'ThingName'");
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"ThingGroups": "OVERWRITE"}}}""", "ThingGroups must be one of DO_NOTHING, REPLACE, FAIL, MERGE");
        assertRefused("""
                {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"},
                   "OverrideSettings": {"ThingGroups": "MERGE", "THING_GROUPS": "REPLACE"}}}""", "THING_GROUPS is set twice");
    }

    // Certificate

    @Test
    void certificateDefaultsToActive() {
        CertificateSpec certificate = evaluate("""
                {"c": {"Type": "AWS::IoT::Certificate",
                   "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}""").certificate();
        assertThat(certificate).isEqualTo(new CertificateSpec(CERT_ID, "ACTIVE", null));
    }

    @Test
    void certificateStatusIsCaseInsensitiveAndMayComeFromAParameter() {
        assertThat(evaluate("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "inActive"},
                   "OverrideSettings": {"Status": "DO_NOTHING"}}}""").certificate())
                .isEqualTo(new CertificateSpec(CERT_ID, "INACTIVE", OverrideAction.DO_NOTHING));
        assertThat(evaluate("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": {"Ref": "Status"}}}}""").certificate().status()).isEqualTo("INACTIVE");
    }

    @Test
    void badLiteralStatusIsATemplateErrorAndBadParameterStatusAParameterError() {
        assertRefused("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "REVOKED"}}}""", "Status must be ACTIVE or INACTIVE, got 'REVOKED'");
        assertThatThrownBy(() -> evaluate("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": {"Ref": "Status"}}}}""", Map.of("Serial", "s", "Status", "PENDING")))
                .isInstanceOfSatisfying(
                        TemplateException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidParameters"));
    }

    @Test
    void certificateIdMustBeTheCertificateBeingProvisioned() {
        assertInvalidTemplate(
                () -> evaluate("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "Serial"}}}}"""),
                "CertificateId evaluates to 'SN1', not the certificate being provisioned ('cert-abc')");
    }

    @Test
    void certificateIdIsRequired() {
        assertRefused(
                "{\"c\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\": {\"Status\": \"ACTIVE\"}}}",
                "CertificateId is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CertificatePem", "CertificateSigningRequest", "CACertificatePem"})
    void certificateMaterialIsNotSupportedInFleetTemplates(String property) {
        assertRefused("""
                {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"%s": "-----BEGIN..."}}}""".formatted(property), property + " is not supported in fleet provisioning templates");
    }

    @Test
    void certificateOverrideMergeAndUnknownKeysAreRefused() {
        assertRefused("""
                {"c": {"Type": "AWS::IoT::Certificate",
                   "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}},
                   "OverrideSettings": {"Status": "MERGE"}}}""", "Status: MERGE is only allowed");
        assertRefused("""
                {"c": {"Type": "AWS::IoT::Certificate",
                   "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}},
                   "OverrideSettings": {"CertificateId": "REPLACE"}}}""", "'CertificateId'");
    }

    @Test
    void onlyOneCertificatePerTemplate() {
        assertRefused("""
                {"a": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}},
                 "b": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}""", "only one AWS::IoT::Certificate");
    }

    // Policy

    private static final String DOCUMENT =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

    @Test
    void policyByNameHasNoDocument() {
        assertThat(evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": {"Fn::Sub": "${Serial}-policy"}}}}""").policies()).containsExactly(new PolicySpec("SN1-policy", null));
    }

    @Test
    void policyDocumentObjectIsCompactedAndNamedBySha256OfItsCanonicalForm() throws Exception {
        PolicySpec policy = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}}}}""").policies().get(0);
        assertThat(policy.policyDocument()).isEqualTo(DOCUMENT);
        // Canonical form: compact with keys sorted at every level.
        String canonical = "{\"Statement\":[{\"Action\":\"iot:Connect\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],"
                + "\"Version\":\"2012-10-17\"}";
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(policy.policyName()).isEqualTo(expected);
    }

    @Test
    void policyDocumentStringAndObjectFormsGiveTheSamePolicy() {
        PolicySpec fromObject = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}}}}""").policies().get(0);
        PolicySpec fromString = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   "{ \\"Version\\": \\"2012-10-17\\", \\"Statement\\": [ { \\"Effect\\": \\"Allow\\", \\"Action\\": \\"iot:Connect\\", \\"Resource\\": \\"*\\" } ] }"}}}""").policies().get(0);
        assertThat(fromString).isEqualTo(fromObject);
    }

    @Test
    void policyNameDoesNotDependOnKeyOrderButDependsOnContent() {
        PolicySpec ordered = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Version": "2012-10-17", "Statement": []}}}}""").policies().get(0);
        PolicySpec reordered = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Statement": [], "Version": "2012-10-17"}}}}""").policies().get(0);
        PolicySpec different = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Statement": [], "Version": "2008-10-17"}}}}""").policies().get(0);
        assertThat(reordered.policyName()).isEqualTo(ordered.policyName());
        assertThat(reordered.policyDocument()).isEqualTo("{\"Statement\":[],\"Version\":\"2012-10-17\"}");
        assertThat(different.policyName()).isNotEqualTo(ordered.policyName());
    }

    @Test
    void intrinsicsInsidePolicyDocumentAreEvaluated() {
        PolicySpec policy = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
                    "Resource": {"Fn::Sub": "arn:aws:iot:*:*:topic/devices/${Serial}/${!iot:ClientId}"}}]}}}}""").policies().get(0);
        assertThat(policy.policyDocument())
                .isEqualTo(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"iot:Publish\",\"Resource\":\"arn:aws:iot:*:*:topic/devices/SN1/${iot:ClientId}\"}]}");
    }

    @Test
    void policyDocumentProducedByAFunctionIsParsed() {
        PolicySpec policy = evaluate("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument":
                   {"Fn::Sub": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [], \\"Sid\\": \\"${Serial}\\"}"}}}}""").policies().get(0);
        assertThat(policy.policyDocument()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[],\"Sid\":\"SN1\"}");
    }

    @Test
    void policiesKeepTemplateOrder() {
        assertThat(evaluate("""
                {"b": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "second-in-alphabet"}},
                 "a": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "first-in-alphabet"}}}""").policies())
                .extracting(PolicySpec::policyName)
                .containsExactly("second-in-alphabet", "first-in-alphabet");
    }

    @Test
    void policyNeedsExactlyOneOfNameAndDocument() {
        assertRefused(
                "{\"p\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {}}}",
                "exactly one of PolicyName and PolicyDocument");
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "n", "PolicyDocument": {}}}}""", "exactly one of PolicyName and PolicyDocument");
    }

    @Test
    void brokenPolicyDocumentsAreRefused() {
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{not json"}}}""", "PolicyDocument is not valid JSON");
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "[1, 2]"}}}""", "PolicyDocument must be a JSON object");
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": ["x"]}}}""", "PolicyDocument must be a JSON object or a JSON string");
    }

    @Test
    void policyOverrideSettingsAreRefused() {
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "n"},
                   "OverrideSettings": {"PolicyDocument": "REPLACE"}}}""", "OverrideSettings are not available for AWS::IoT::Policy");
    }

    // Resources in general

    @Test
    void unknownResourceTypeIsRefused() {
        assertRefused(
                "{\"q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {}}}",
                "Resources.q has unsupported resource type 'AWS::SQS::Queue'");
    }

    @Test
    void resourceWithoutTypeOrWithUnknownKeysIsRefused() {
        assertRefused("{\"q\": {\"Properties\": {}}}", "Resources.q has no Type");
        assertRefused("""
                {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "n"}, "DependsOn": "x"}}""", "Unsupported Resources.p key 'DependsOn'");
    }
}
