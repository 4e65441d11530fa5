package io.fleetprov.emulator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {

    static final String CERT_ID = "4f6c1d1b2a8e9f0c3d5e7a9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    /** The fleet-provisioning template used by the AWS IoT Device SDK for Java v2 samples. */
    static final String SDK_SAMPLE = """
            {
              "Parameters": {
                "DeviceLocation": {"Type": "String"},
                "AWS::IoT::Certificate::Id": {"Type": "String"},
                "SerialNumber": {"Type": "String"}
              },
              "Mappings": {
                "LocationTable": {
                  "Seattle": {"LocationUrl": "https://example.aws"}
                }
              },
              "Resources": {
                "thing": {
                  "Type": "AWS::IoT::Thing",
                  "Properties": {
                    "ThingName": {"Fn::Join": ["", ["ThingPrefix_", {"Ref": "SerialNumber"}]]},
                    "AttributePayload": {"version": "v1", "serialNumber": "serialNumber"}
                  },
                  "OverrideSettings": {
                    "AttributePayload": "MERGE",
                    "ThingTypeName": "REPLACE",
                    "ThingGroups": "DO_NOTHING"
                  }
                },
                "certificate": {
                  "Type": "AWS::IoT::Certificate",
                  "Properties": {
                    "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"},
                    "Status": "Active"
                  },
                  "OverrideSettings": {"Status": "REPLACE"}
                },
                "policy": {
                  "Type": "AWS::IoT::Policy",
                  "Properties": {
                    "PolicyDocument": {
                      "Version": "2012-10-17",
                      "Statement": [{
                        "Effect": "Allow",
                        "Action": ["iot:Connect", "iot:Subscribe", "iot:Publish", "iot:Receive"],
                        "Resource": "*"
                      }]
                    }
                  }
                }
              },
              "DeviceConfiguration": {
                "FallbackUrl": "https://www.example.com/test-site",
                "LocationUrl": {"Fn::FindInMap": ["LocationTable", {"Ref": "DeviceLocation"}, "LocationUrl"]}
              }
            }
            """;

    final TemplateEngine engine = new TemplateEngine();

    @Test
    void sdkSampleTemplateValidates() {
        engine.validate(SDK_SAMPLE);
    }

    @Test
    void sdkSampleTemplateEvaluatesToTheFullPlan() {
        ProvisioningPlan plan =
                engine.evaluate(SDK_SAMPLE, Map.of("SerialNumber", "SN-0001", "DeviceLocation", "Seattle"), CERT_ID);

        ThingSpec thing = plan.thing();
        assertThat(thing.thingName()).isEqualTo("ThingPrefix_SN-0001");
        assertThat(thing.attributes()).containsExactly(entry("version", "v1"), entry("serialNumber", "serialNumber"));
        assertThat(thing.thingTypeName()).isNull();
        assertThat(thing.thingGroups()).isEmpty();
        assertThat(thing.billingGroup()).isNull();
        assertThat(thing.overrides())
                .containsOnly(
                        entry(ThingProperty.ATTRIBUTE_PAYLOAD, OverrideAction.MERGE),
                        entry(ThingProperty.THING_TYPE_NAME, OverrideAction.REPLACE),
                        entry(ThingProperty.THING_GROUPS, OverrideAction.DO_NOTHING));

        assertThat(plan.certificate()).isEqualTo(new CertificateSpec(CERT_ID, "ACTIVE", OverrideAction.REPLACE));

        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"iot:Connect\",\"iot:Subscribe\",\"iot:Publish\",\"iot:Receive\"],\"Resource\":\"*\"}]}";
        assertThat(plan.policies()).hasSize(1);
        assertThat(plan.policies().get(0).policyDocument()).isEqualTo(document);
        assertThat(plan.policies().get(0).policyName()).matches("[0-9a-f]{64}");

        assertThat(plan.deviceConfiguration())
                .containsExactly(
                        entry("FallbackUrl", "https://www.example.com/test-site"),
                        entry("LocationUrl", "https://example.aws"));
    }

    @Test
    void sdkSampleWithUnknownLocationFailsAsInvalidTemplate() {
        assertThatThrownBy(() -> engine.evaluate(
                        SDK_SAMPLE, Map.of("SerialNumber", "SN-0001", "DeviceLocation", "Paris"), CERT_ID))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidTemplate");
                    assertThat(e.getMessage()).contains("DeviceConfiguration.LocationUrl", "LocationTable", "'Paris'");
                });
    }

    @Test
    void missingRequiredParametersAreAllListedSorted() {
        assertThatThrownBy(() -> engine.evaluate(SDK_SAMPLE, Map.of(), CERT_ID))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidParameters");
                    assertThat(e.getMessage())
                            .isEqualTo("Missing required parameter(s): [DeviceLocation, SerialNumber]");
                });
    }

    @Test
    void nullParameterValueCountsAsMissing() {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("SerialNumber", null);
        parameters.put("DeviceLocation", "Seattle");
        assertThatThrownBy(() -> engine.evaluate(SDK_SAMPLE, parameters, CERT_ID))
                .hasMessage("Missing required parameter(s): [SerialNumber]");
    }

    @Test
    void nullParameterMapIsNoParameters() {
        String template = """
                {"Parameters": {"A": {"Type": "String", "Default": "x"}},
                 "Resources": {},
                 "DeviceConfiguration": {"A": {"Ref": "A"}}}""";
        assertThat(engine.evaluate(template, null, CERT_ID).deviceConfiguration())
                .containsExactly(entry("A", "x"));
    }

    @Test
    void defaultsApplyOnlyWhenTheDeviceOmitsTheParameter() {
        String template = """
                {"Parameters": {
                   "Color": {"Type": "String", "Default": "blue"},
                   "Size": {"Type": "String", "Default": "M"},
                   "Count": {"Type": "String", "Default": 3}},
                 "Resources": {},
                 "DeviceConfiguration": {"Color": {"Ref": "Color"}, "Size": {"Ref": "Size"}, "Count": {"Ref": "Count"}}}""";
        ProvisioningPlan plan = engine.evaluate(template, Map.of("Size", "XL", "Unused", "ignored"), CERT_ID);
        assertThat(plan.deviceConfiguration())
                .containsExactly(entry("Color", "blue"), entry("Size", "XL"), entry("Count", "3"));
    }

    @Test
    void emptyStringParameterIsAValueNotAMissingOne() {
        String template = """
                {"Parameters": {"Note": {"Type": "String"}},
                 "Resources": {},
                 "DeviceConfiguration": {"Note": {"Ref": "Note"}}}""";
        assertThat(engine.evaluate(template, Map.of("Note", ""), CERT_ID).deviceConfiguration())
                .containsExactly(entry("Note", ""));
    }

    @Test
    void certificateIdPseudoParameterAlwaysComesFromTheCertificate() {
        String template = """
                {"Parameters": {"AWS::IoT::Certificate::Id": {"Type": "String", "Default": "from-default"}},
                 "Resources": {},
                 "DeviceConfiguration": {"Cert": {"Ref": "AWS::IoT::Certificate::Id"}}}""";
        ProvisioningPlan plan = engine.evaluate(template, Map.of("AWS::IoT::Certificate::Id", "from-device"), CERT_ID);
        assertThat(plan.deviceConfiguration()).containsExactly(entry("Cert", CERT_ID));
    }

    @Test
    void certificateIdPseudoParameterNeedsNoDeclaration() {
        String template = """
                {"Resources": {},
                 "DeviceConfiguration": {"Cert": {"Ref": "AWS::IoT::Certificate::Id"}}}""";
        assertThat(engine.evaluate(template, Map.of(), CERT_ID).deviceConfiguration())
                .containsExactly(entry("Cert", CERT_ID));
    }

    @Test
    void templateWithoutThingOrCertificateGivesNulls() {
        ProvisioningPlan plan = engine.evaluate("{\"Resources\": {}}", Map.of(), CERT_ID);
        assertThat(plan.thing()).isNull();
        assertThat(plan.certificate()).isNull();
        assertThat(plan.policies()).isEmpty();
        assertThat(plan.deviceConfiguration()).isEmpty();
    }

    @Test
    void deviceConfigurationTurnsNumbersAndBooleansIntoStrings() {
        String template = """
                {"Resources": {},
                 "DeviceConfiguration": {"Port": 8883, "Ratio": 0.5, "Tls": true, "Name": "x"}}""";
        assertThat(engine.evaluate(template, Map.of(), CERT_ID).deviceConfiguration())
                .containsExactly(
                        entry("Port", "8883"), entry("Ratio", "0.5"), entry("Tls", "true"), entry("Name", "x"));
    }

    @Test
    void planCollectionsAreImmutable() {
        ProvisioningPlan plan =
                engine.evaluate(SDK_SAMPLE, Map.of("SerialNumber", "1", "DeviceLocation", "Seattle"), CERT_ID);
        assertThatThrownBy(() -> plan.deviceConfiguration().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.thing().attributes().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.policies().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void engineIsReusableAcrossTemplatesAndDevices() {
        List<String> names = List.of("a", "b", "c").stream()
                .map(serial -> engine.evaluate(
                                SDK_SAMPLE, Map.of("SerialNumber", serial, "DeviceLocation", "Seattle"), CERT_ID)
                        .thing()
                        .thingName())
                .toList();
        assertThat(names).containsExactly("ThingPrefix_a", "ThingPrefix_b", "ThingPrefix_c");
    }
}
