package io.fleetprov.emulator.policy;

import static io.fleetprov.emulator.policy.IotAction.CONNECT;
import static io.fleetprov.emulator.policy.IotAction.PUBLISH;
import static io.fleetprov.emulator.policy.IotAction.RECEIVE;
import static io.fleetprov.emulator.policy.IotAction.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    private static final String PREFIX = "arn:aws:iot:us-east-1:123456789012:";

    private static final ConnectionContext CLAIM =
            new ConnectionContext("us-east-1", "123456789012", "test-1234", "cert-claim", null, null, Map.of());

    private static ConnectionContext thing(String name) {
        return new ConnectionContext(
                "us-east-1", "123456789012", name, "cert-" + name, name, "Sensor", Map.of("floor", "3"));
    }

    private static ConnectionContext noThing(String clientId) {
        return new ConnectionContext("us-east-1", "123456789012", clientId, "cert-x", null, null, Map.of());
    }

    private static boolean allowed(String policyJson, IotAction action, String resource, ConnectionContext context) {
        return PolicyEvaluator.isAllowed(List.of(PolicyDocument.parse(policyJson)), action, resource, context);
    }

    private static String allow(String actions, String resources) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":" + resources + "}]}";
    }

    @Test
    void resourceArnUsesTheResourceTypeOfTheAction() {
        assertThat(PolicyEvaluator.resourceArn(CONNECT, "c1", CLAIM)).isEqualTo(PREFIX + "client/c1");
        assertThat(PolicyEvaluator.resourceArn(PUBLISH, "a/b", CLAIM)).isEqualTo(PREFIX + "topic/a/b");
        assertThat(PolicyEvaluator.resourceArn(RECEIVE, "a/b", CLAIM)).isEqualTo(PREFIX + "topic/a/b");
        assertThat(PolicyEvaluator.resourceArn(SUBSCRIBE, "a/+", CLAIM)).isEqualTo(PREFIX + "topicfilter/a/+");
    }

    @Test
    void noPoliciesMeansDeny() {
        assertThat(PolicyEvaluator.isAllowed(List.of(), CONNECT, "c", CLAIM)).isFalse();
    }

    @Nested
    class ClaimCertificatePolicy {
        // The AWS developer guide's claim policy (reference §5), scoped to template T.
        private final String policy = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    { "Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*" },
                    { "Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
                      "Resource": [
                        "arn:aws:iot:us-east-1:123456789012:topic/$aws/certificates/create/*",
                        "arn:aws:iot:us-east-1:123456789012:topic/$aws/provisioning-templates/T/provision/*" ] },
                    { "Effect": "Allow", "Action": "iot:Subscribe",
                      "Resource": [
                        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/certificates/create/*",
                        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/provisioning-templates/T/provision/*" ] }
                  ]
                }""";

        @Test
        void allowsTheProvisioningTopicsOfItsTemplate() {
            assertThat(allowed(policy, CONNECT, "test-1234", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "$aws/certificates/create/json", CLAIM))
                    .isTrue();
            assertThat(allowed(policy, PUBLISH, "$aws/provisioning-templates/T/provision/json", CLAIM))
                    .isTrue();
            assertThat(allowed(policy, RECEIVE, "$aws/certificates/create/json/accepted", CLAIM))
                    .isTrue();
            assertThat(allowed(policy, SUBSCRIBE, "$aws/provisioning-templates/T/provision/json/rejected", CLAIM))
                    .isTrue();
        }

        @Test
        void deniesOtherTemplatesAndOrdinaryTopics() {
            assertThat(allowed(policy, PUBLISH, "$aws/provisioning-templates/OTHER/provision/json", CLAIM))
                    .isFalse();
            assertThat(allowed(policy, PUBLISH, "devices/x", CLAIM)).isFalse();
            assertThat(allowed(policy, SUBSCRIBE, "devices/#", CLAIM)).isFalse();
            assertThat(allowed(policy, PUBLISH, "$aws/certificates/create-from-csr/json", CLAIM))
                    .isFalse();
        }

        @Test
        void topicAndTopicFilterResourcesAreNotInterchangeable() {
            String publishOnly = allow("\"iot:*\"", "\"" + PREFIX + "topic/a/b\"");
            assertThat(allowed(publishOnly, PUBLISH, "a/b", CLAIM)).isTrue();
            assertThat(allowed(publishOnly, SUBSCRIBE, "a/b", CLAIM)).isFalse();
        }
    }

    @Nested
    class ThingPolicyVariables {
        private final String policy = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    { "Effect": "Allow", "Action": "iot:Connect",
                      "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}" },
                    { "Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
                      "Resource": "arn:aws:iot:us-east-1:123456789012:topic/things/${iot:Connection.Thing.ThingName}/*" },
                    { "Effect": "Allow", "Action": "iot:Subscribe",
                      "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/things/${iot:Connection.Thing.ThingName}/*" }
                  ]
                }""";

        @Test
        void allowsItsOwnThing() {
            ConnectionContext sensor = thing("sensor-1");
            assertThat(allowed(policy, CONNECT, "sensor-1", sensor)).isTrue();
            assertThat(allowed(policy, PUBLISH, "things/sensor-1/telemetry", sensor))
                    .isTrue();
            assertThat(allowed(policy, RECEIVE, "things/sensor-1/cmd", sensor)).isTrue();
            assertThat(allowed(policy, SUBSCRIBE, "things/sensor-1/#", sensor)).isTrue();
        }

        @Test
        void deniesAnotherThingsTopics() {
            ConnectionContext sensor = thing("sensor-1");
            assertThat(allowed(policy, PUBLISH, "things/sensor-2/telemetry", sensor))
                    .isFalse();
            assertThat(allowed(policy, SUBSCRIBE, "things/sensor-2/#", sensor)).isFalse();
            assertThat(allowed(policy, CONNECT, "sensor-2", sensor)).isFalse();
        }

        @Test
        void deniesEverythingWhenNoThingIsAttached() {
            ConnectionContext anonymous = noThing("sensor-1");
            assertThat(allowed(policy, CONNECT, "sensor-1", anonymous)).isFalse();
            assertThat(allowed(policy, PUBLISH, "things/sensor-1/telemetry", anonymous))
                    .isFalse();
            assertThat(allowed(policy, SUBSCRIBE, "things/sensor-1/#", anonymous))
                    .isFalse();
        }

        @Test
        void aWildcardInAVariableValueIsLiteral() {
            ConnectionContext sneaky = thing("*");
            assertThat(allowed(policy, PUBLISH, "things/*/telemetry", sneaky)).isTrue();
            assertThat(allowed(policy, PUBLISH, "things/sensor-1/telemetry", sneaky))
                    .isFalse();
        }

        @Test
        void anUnresolvableEntryMatchesNothingButOtherEntriesStillCount() {
            String mixed = allow(
                    "\"iot:Publish\"",
                    "[\"" + PREFIX + "topic/${iot:Connection.Thing.ThingName}\", \"" + PREFIX + "topic/public\"]");
            assertThat(allowed(mixed, PUBLISH, "public", noThing("c"))).isTrue();
            assertThat(allowed(mixed, PUBLISH, "c", noThing("c"))).isFalse();
        }

        @Test
        void resolvesClientIdTypeAttributesAndIsAttached() {
            String policy = allow(
                    "\"iot:Publish\"",
                    "["
                            + "\"" + PREFIX + "topic/id/${iot:ClientId}\","
                            + "\"" + PREFIX + "topic/type/${iot:Connection.Thing.ThingTypeName}\","
                            + "\"" + PREFIX + "topic/floor/${iot:Connection.Thing.Attributes[floor]}\","
                            + "\"" + PREFIX + "topic/attached/${iot:Connection.Thing.IsAttached}\"]");
            ConnectionContext sensor = thing("s1");
            assertThat(allowed(policy, PUBLISH, "id/s1", sensor)).isTrue();
            assertThat(allowed(policy, PUBLISH, "type/Sensor", sensor)).isTrue();
            assertThat(allowed(policy, PUBLISH, "floor/3", sensor)).isTrue();
            assertThat(allowed(policy, PUBLISH, "floor/4", sensor)).isFalse();
            assertThat(allowed(policy, PUBLISH, "attached/true", sensor)).isTrue();
            assertThat(allowed(policy, PUBLISH, "attached/false", noThing("c"))).isTrue();
            assertThat(allowed(policy, PUBLISH, "attached/true", noThing("c"))).isFalse();
            assertThat(allowed(policy, PUBLISH, "id/c", noThing("c"))).isTrue();
        }

        @Test
        void missingAttributeAndUnsupportedVariablesMatchNothing() {
            String policy = allow(
                    "\"iot:Publish\"",
                    "["
                            + "\"" + PREFIX + "topic/${iot:Connection.Thing.Attributes[room]}\","
                            + "\"" + PREFIX + "topic/${iot:Certificate.Subject.CommonName}\"]");
            assertThat(allowed(policy, PUBLISH, "", thing("s1"))).isFalse();
            assertThat(allowed(policy, PUBLISH, "${iot:Certificate.Subject.CommonName}", thing("s1")))
                    .isFalse();
        }

        @Test
        void escapesAreLiteralCharacters() {
            String policy = allow("\"iot:Publish\"", "\"" + PREFIX + "topic/a${*}b${?}${$}\"");
            assertThat(allowed(policy, PUBLISH, "a*b?$", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "axxbc$", CLAIM)).isFalse();
        }
    }

    @Test
    void explicitDenyInAnyDocumentBeatsAllow() {
        PolicyDocument allowAll = PolicyDocument.parse(allow("\"iot:*\"", "\"*\""));
        PolicyDocument denySecret = PolicyDocument.parse("""
                {"Statement": {"Effect": "Deny", "Action": "iot:Publish",
                               "Resource": "arn:aws:iot:us-east-1:123456789012:topic/secret/*"}}""");
        List<PolicyDocument> both = List.of(allowAll, denySecret);
        assertThat(PolicyEvaluator.isAllowed(both, PUBLISH, "secret/x", CLAIM)).isFalse();
        assertThat(PolicyEvaluator.isAllowed(List.of(denySecret, allowAll), PUBLISH, "secret/x", CLAIM))
                .isFalse();
        assertThat(PolicyEvaluator.isAllowed(both, PUBLISH, "public/x", CLAIM)).isTrue();
        assertThat(PolicyEvaluator.isAllowed(both, SUBSCRIBE, "secret/x", CLAIM))
                .isTrue();
        assertThat(PolicyEvaluator.isAllowed(List.of(denySecret), SUBSCRIBE, "public/x", CLAIM))
                .isFalse();
    }

    @Nested
    class Negation {
        @Test
        void notActionCoversEveryOtherAction() {
            String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iot:Publish\",\"Resource\":\"*\"}]}";
            assertThat(allowed(policy, PUBLISH, "a", CLAIM)).isFalse();
            assertThat(allowed(policy, SUBSCRIBE, "a", CLAIM)).isTrue();
            assertThat(allowed(policy, CONNECT, "a", CLAIM)).isTrue();
        }

        @Test
        void notResourceCoversEveryOtherResource() {
            String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\"," + "\"NotResource\":[\""
                    + PREFIX + "topic/admin/*\",\"" + PREFIX + "topic/root\"]}]}";
            assertThat(allowed(policy, PUBLISH, "admin/x", CLAIM)).isFalse();
            assertThat(allowed(policy, PUBLISH, "root", CLAIM)).isFalse();
            assertThat(allowed(policy, PUBLISH, "users/x", CLAIM)).isTrue();
        }

        @Test
        void denyWithNotResourceFencesInAnAllowAll() {
            PolicyDocument allowAll = PolicyDocument.parse(allow("\"*\"", "\"*\""));
            PolicyDocument onlyOwnTopics = PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Deny\","
                    + "\"Action\":\"iot:Publish\",\"NotResource\":\"" + PREFIX + "topic/own/*\"}}");
            List<PolicyDocument> both = List.of(allowAll, onlyOwnTopics);
            assertThat(PolicyEvaluator.isAllowed(both, PUBLISH, "own/a", CLAIM)).isTrue();
            assertThat(PolicyEvaluator.isAllowed(both, PUBLISH, "other/a", CLAIM))
                    .isFalse();
        }

        @Test
        void anUnresolvableNotResourceMakesTheStatementNotApply() {
            String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\"," + "\"NotResource\":\""
                    + PREFIX + "topic/${iot:Connection.Thing.ThingName}/private\"}}";
            assertThat(allowed(policy, PUBLISH, "x", thing("s1"))).isTrue();
            assertThat(allowed(policy, PUBLISH, "s1/private", thing("s1"))).isFalse();
            assertThat(allowed(policy, PUBLISH, "x", noThing("c"))).isFalse();
        }
    }

    @Nested
    class Wildcards {
        @Test
        void starMatchesAnySequenceIncludingSlashes() {
            String policy = allow("\"iot:Publish\"", "\"" + PREFIX + "topic/a/*/z\"");
            assertThat(allowed(policy, PUBLISH, "a/b/z", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "a/b/c/d/z", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "a//z", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "a/b/zz/y", CLAIM)).isFalse();
        }

        @Test
        void questionMarkMatchesExactlyOneCharacter() {
            String policy = allow("\"iot:Publish\"", "\"" + PREFIX + "topic/room-?\"");
            assertThat(allowed(policy, PUBLISH, "room-1", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "room-/", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "room-", CLAIM)).isFalse();
            assertThat(allowed(policy, PUBLISH, "room-12", CLAIM)).isFalse();
        }

        @Test
        void wildcardsInTheArnPrefixAndCaseSensitiveResources() {
            String policy = allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/Data\"");
            assertThat(allowed(policy, PUBLISH, "Data", CLAIM)).isTrue();
            assertThat(allowed(policy, PUBLISH, "data", CLAIM)).isFalse();
        }

        @Test
        void mqttWildcardsInPoliciesAreLiteral() {
            String filters = allow("\"iot:Subscribe\"", "\"" + PREFIX + "topicfilter/devices/+/cmd\"");
            assertThat(allowed(filters, SUBSCRIBE, "devices/+/cmd", CLAIM)).isTrue();
            assertThat(allowed(filters, SUBSCRIBE, "devices/a/cmd", CLAIM)).isFalse();

            String topics = allow("\"iot:Publish\"", "\"" + PREFIX + "topic/devices/#\"");
            assertThat(allowed(topics, PUBLISH, "devices/a", CLAIM)).isFalse();
            assertThat(allowed(topics, PUBLISH, "devices/#", CLAIM)).isTrue();
        }

        @Test
        void actionWildcardsAreCaseInsensitive() {
            assertThat(allowed(allow("\"iot:*\"", "\"*\""), RECEIVE, "t", CLAIM))
                    .isTrue();
            assertThat(allowed(allow("\"*\"", "\"*\""), CONNECT, "c", CLAIM)).isTrue();
            assertThat(allowed(allow("\"iot:Pub*\"", "\"*\""), PUBLISH, "t", CLAIM))
                    .isTrue();
            assertThat(allowed(allow("\"iot:Pub*\"", "\"*\""), SUBSCRIBE, "t", CLAIM))
                    .isFalse();
            assertThat(allowed(allow("\"IOT:PUBLISH\"", "\"*\""), PUBLISH, "t", CLAIM))
                    .isTrue();
            assertThat(allowed(allow("\"iot:?eceive\"", "\"*\""), RECEIVE, "t", CLAIM))
                    .isTrue();
            assertThat(allowed(allow("\"s3:*\"", "\"*\""), PUBLISH, "t", CLAIM)).isFalse();
            assertThat(allowed(allow("\"iot:Publis\"", "\"*\""), PUBLISH, "t", CLAIM))
                    .isFalse();
        }
    }

    @Nested
    class Conditions {
        private String withCondition(String condition) {
            return "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\","
                    + "\"Condition\":" + condition + "}}";
        }

        @Test
        void stringEqualsAndStringLikeOnSupportedKeys() {
            String equals = withCondition("{\"StringEquals\":{\"iot:ClientId\":[\"a\",\"b*\"]}}");
            assertThat(allowed(equals, CONNECT, "a", noThing("a"))).isTrue();
            assertThat(allowed(equals, CONNECT, "b*", noThing("b*"))).isTrue();
            assertThat(allowed(equals, CONNECT, "bx", noThing("bx"))).isFalse();

            String like = withCondition("{\"StringLike\":{\"iot:Connection.Thing.ThingName\":\"sensor-*\"}}");
            assertThat(allowed(like, CONNECT, "sensor-1", thing("sensor-1"))).isTrue();
            assertThat(allowed(like, CONNECT, "pump-1", thing("pump-1"))).isFalse();
            assertThat(allowed(like, CONNECT, "sensor-1", noThing("sensor-1"))).isFalse();
        }

        @Test
        void conditionValuesMayUseVariables() {
            String policy =
                    withCondition("{\"StringEquals\":{\"iot:ClientId\":\"${iot:Connection.Thing.ThingName}\"}}");
            assertThat(allowed(policy, CONNECT, "s1", thing("s1"))).isTrue();
            assertThat(allowed(policy, CONNECT, "s1", noThing("s1"))).isFalse();
        }

        @Test
        void unsupportedConditionsNeverApply() {
            String operator = withCondition("{\"Bool\":{\"aws:SecureTransport\":true}}");
            assertThat(allowed(operator, CONNECT, "c", CLAIM)).isFalse();
            String key = withCondition("{\"StringEquals\":{\"aws:SourceIp\":\"10.0.0.1\"}}");
            assertThat(allowed(key, CONNECT, "c", CLAIM)).isFalse();
            String mixed = withCondition(
                    "{\"StringEquals\":{\"iot:ClientId\":\"c\"},\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}");
            assertThat(allowed(mixed, CONNECT, "c", noThing("c"))).isFalse();
        }
    }
}
