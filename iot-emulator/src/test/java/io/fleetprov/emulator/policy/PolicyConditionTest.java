package io.fleetprov.emulator.policy;

import static io.fleetprov.emulator.policy.IotAction.CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each condition operator, its negation, IfExists, the set qualifiers and the condition keys, each both ways. */
class PolicyConditionTest {

    /** Thing "s1" of type Sensor, attached, floor 3, from 10.1.2.3, subject CN=s1, O=Acme, OU=eu and OU=lab. */
    private static final ConnectionContext S1 = new ConnectionContext(
            "us-east-1",
            "123456789012",
            "s1",
            "cert-s1",
            "s1",
            "Sensor",
            Map.of("floor", "3", "fw", "1.2"),
            Map.of(
                    "CommonName",
                    List.of("s1"),
                    "Organization",
                    List.of("Acme"),
                    "OrganizationalUnit",
                    List.of("eu", "lab")),
            Map.of("CommonName", List.of("fleetprov emulator CA")),
            "10.1.2.3");

    /** Client "c" with no thing attached, no certificate fields and no address. */
    private static final ConnectionContext BARE =
            new ConnectionContext("us-east-1", "123456789012", "c", "cert-c", null, null, Map.of());

    private static boolean allows(String condition, ConnectionContext context) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\","
                + "\"Resource\":\"*\",\"Condition\":" + condition + "}}";
        return PolicyEvaluator.isAllowed(List.of(PolicyDocument.parse(policy)), CONNECT, context.clientId(), context);
    }

    private static String cond(String operator, String key, String values) {
        return "{\"" + operator + "\":{\"" + key + "\":" + values + "}}";
    }

    @Nested
    class Strings {
        @Test
        void stringNotEquals() {
            assertThat(allows(cond("StringNotEquals", "iot:ClientId", "[\"a\",\"b\"]"), S1))
                    .isTrue();
            assertThat(allows(cond("StringNotEquals", "iot:ClientId", "[\"s1\",\"b\"]"), S1))
                    .isFalse();
            // IAM: an absent key satisfies a negated operator.
            assertThat(allows(cond("StringNotEquals", "iot:Connection.Thing.ThingName", "\"x\""), BARE))
                    .isTrue();
        }

        @Test
        void stringEqualsIgnoreCase() {
            assertThat(allows(cond("StringEqualsIgnoreCase", "iot:Connection.Thing.ThingTypeName", "\"SENSOR\""), S1))
                    .isTrue();
            assertThat(allows(cond("StringEqualsIgnoreCase", "iot:Connection.Thing.ThingTypeName", "\"pump\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringEquals", "iot:Connection.Thing.ThingTypeName", "\"SENSOR\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringNotEqualsIgnoreCase", "iot:ClientId", "\"S1\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringNotEqualsIgnoreCase", "iot:ClientId", "\"S2\""), S1))
                    .isTrue();
        }

        @Test
        void stringNotLike() {
            assertThat(allows(cond("StringNotLike", "iot:ClientId", "\"pump-*\""), S1))
                    .isTrue();
            assertThat(allows(cond("StringNotLike", "iot:ClientId", "\"s?\""), S1))
                    .isFalse();
        }

        @Test
        void equalsTreatsWildcardsLiterally() {
            assertThat(allows(cond("StringEquals", "iot:ClientId", "\"s*\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringLike", "iot:ClientId", "\"s*\""), S1)).isTrue();
        }
    }

    @Nested
    class BoolNumericNull {
        @Test
        void boolOnIsAttached() {
            String attached = cond("Bool", "iot:Connection.Thing.IsAttached", "\"true\"");
            assertThat(allows(attached, S1)).isTrue();
            assertThat(allows(attached, BARE)).isFalse();
            // JSON booleans are accepted as values, as IAM does.
            assertThat(allows(cond("Bool", "iot:Connection.Thing.IsAttached", "false"), BARE))
                    .isTrue();
            assertThat(allows(cond("Bool", "iot:Connection.Thing.IsAttached", "\"TRUE\""), S1))
                    .isTrue();
        }

        @Test
        void numericComparisons() {
            String key = "iot:Connection.Thing.Attributes[floor]";
            assertThat(allows(cond("NumericEquals", key, "3"), S1)).isTrue();
            assertThat(allows(cond("NumericEquals", key, "\"3.0\""), S1)).isTrue();
            assertThat(allows(cond("NumericEquals", key, "4"), S1)).isFalse();
            assertThat(allows(cond("NumericNotEquals", key, "4"), S1)).isTrue();
            assertThat(allows(cond("NumericNotEquals", key, "3"), S1)).isFalse();
            assertThat(allows(cond("NumericLessThan", key, "4"), S1)).isTrue();
            assertThat(allows(cond("NumericLessThan", key, "3"), S1)).isFalse();
            assertThat(allows(cond("NumericLessThanEquals", key, "3"), S1)).isTrue();
            assertThat(allows(cond("NumericLessThanEquals", key, "2"), S1)).isFalse();
            assertThat(allows(cond("NumericGreaterThan", key, "2"), S1)).isTrue();
            assertThat(allows(cond("NumericGreaterThan", key, "3"), S1)).isFalse();
            assertThat(allows(cond("NumericGreaterThanEquals", key, "3"), S1)).isTrue();
            assertThat(allows(cond("NumericGreaterThanEquals", key, "3.5"), S1)).isFalse();
        }

        @Test
        void aValueThatIsNoNumberMatchesNothing() {
            assertThat(allows(cond("NumericEquals", "iot:ClientId", "1"), S1)).isFalse();
            assertThat(allows(cond("NumericGreaterThan", "iot:Connection.Thing.Attributes[floor]", "\"x\""), S1))
                    .isFalse();
        }

        @Test
        void nullTestsPresence() {
            String absent = cond("Null", "iot:Connection.Thing.ThingName", "\"true\"");
            assertThat(allows(absent, BARE)).isTrue();
            assertThat(allows(absent, S1)).isFalse();
            String present = cond("Null", "iot:Connection.Thing.ThingName", "false");
            assertThat(allows(present, S1)).isTrue();
            assertThat(allows(present, BARE)).isFalse();
        }

        @Test
        void nullTakesOnlyBooleans() {
            assertThatThrownBy(() -> allows(cond("Null", "iot:ClientId", "\"maybe\""), S1))
                    .isInstanceOf(MalformedPolicyException.class)
                    .hasMessageContaining("Null takes true or false");
        }
    }

    @Nested
    class Addresses {
        @Test
        void ipAddressMatchesCidrBlocksAndSingleAddresses() {
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"10.0.0.0/8\""), S1))
                    .isTrue();
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "[\"192.168.0.0/16\",\"10.1.2.3\"]"), S1))
                    .isTrue();
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"10.1.2.0/31\""), S1))
                    .isFalse();
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"0.0.0.0/0\""), BARE))
                    .as("no address known: a positive operator fails")
                    .isFalse();
        }

        @Test
        void notIpAddress() {
            assertThat(allows(cond("NotIpAddress", "aws:SourceIp", "\"192.168.0.0/16\""), S1))
                    .isTrue();
            assertThat(allows(cond("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/8\""), S1))
                    .isFalse();
        }

        @Test
        void ipv6BlocksDoNotMatchIpv4Addresses() {
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"2001:db8::/32\""), S1))
                    .isFalse();
            ConnectionContext v6 = new ConnectionContext(
                    "us-east-1", "123456789012", "c", "cert", null, null, Map.of(), Map.of(), Map.of(), "2001:db8::7");
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"2001:db8::/32\""), v6))
                    .isTrue();
            assertThat(allows(cond("IpAddress", "aws:SourceIp", "\"2001:db9::/32\""), v6))
                    .isFalse();
        }

        @Test
        void aMalformedBlockIsAMalformedPolicy() {
            assertThatThrownBy(() -> allows(cond("IpAddress", "aws:SourceIp", "\"10.0.0.0/33\""), S1))
                    .isInstanceOf(MalformedPolicyException.class);
            assertThatThrownBy(() -> allows(cond("IpAddress", "aws:SourceIp", "\"example.com\""), S1))
                    .isInstanceOf(MalformedPolicyException.class);
        }

        @Test
        void arnOperatorsCompareComponentByComponent() {
            ConnectionContext armed = new ConnectionContext(
                    "us-east-1",
                    "123456789012",
                    "c",
                    "cert",
                    "c",
                    null,
                    Map.of("owner", "arn:aws:iot:us-east-1:123456789012:thing/c"));
            String key = "iot:Connection.Thing.Attributes[owner]";
            assertThat(allows(cond("ArnLike", key, "\"arn:aws:iot:*:123456789012:thing/*\""), armed))
                    .isTrue();
            assertThat(allows(cond("ArnEquals", key, "\"arn:aws:iot:us-east-1:123456789012:thing/c\""), armed))
                    .isTrue();
            // A wildcard stays inside its component: "*" for the region cannot also eat the account.
            assertThat(allows(cond("ArnLike", key, "\"arn:aws:iot:*:thing/c\""), armed))
                    .isFalse();
            assertThat(allows(cond("ArnLike", key, "\"arn:aws:iot:*:999999999999:thing/*\""), armed))
                    .isFalse();
            assertThat(allows(cond("ArnNotLike", key, "\"arn:aws:iot:*:999999999999:*\""), armed))
                    .isTrue();
            assertThat(allows(cond("ArnNotEquals", key, "\"arn:aws:iot:us-east-1:123456789012:thing/c\""), armed))
                    .isFalse();
        }
    }

    @Nested
    class QualifiersAndKeys {
        @Test
        void ifExistsLetsAnAbsentKeyPass() {
            String typed = cond("StringEqualsIfExists", "iot:Connection.Thing.ThingTypeName", "\"Sensor\"");
            assertThat(allows(typed, BARE)).isTrue();
            assertThat(allows(typed, S1)).isTrue();
            ConnectionContext pump =
                    new ConnectionContext("us-east-1", "123456789012", "p", "cert-p", "p", "Pump", Map.of());
            assertThat(allows(typed, pump)).isFalse();
        }

        @Test
        void forAnyValueAndForAllValuesOnAMultiValuedKey() {
            String key = "iot:Certificate.Subject.OrganizationalUnit.List";
            assertThat(allows(cond("ForAnyValue:StringEquals", key, "\"lab\""), S1))
                    .isTrue();
            assertThat(allows(cond("ForAllValues:StringEquals", key, "\"lab\""), S1))
                    .isFalse();
            assertThat(allows(cond("ForAllValues:StringEquals", key, "[\"lab\",\"eu\"]"), S1))
                    .isTrue();
            assertThat(allows(cond("ForAnyValue:StringEquals", key, "\"us\""), S1))
                    .isFalse();
            // Absent key: "any" finds nothing, "all" holds vacuously.
            assertThat(allows(cond("ForAnyValue:StringEquals", key, "\"lab\""), BARE))
                    .isFalse();
            assertThat(allows(cond("ForAllValues:StringEquals", key, "\"lab\""), BARE))
                    .isTrue();
        }

        @Test
        void certificateSubjectAndIssuerKeys() {
            assertThat(allows(cond("StringEquals", "iot:Certificate.Subject.CommonName", "\"s1\""), S1))
                    .isTrue();
            assertThat(allows(cond("StringEquals", "iot:Certificate.Subject.Organization", "\"Other\""), S1))
                    .isFalse();
            // A repeated field resolves to its first value outside the .List form.
            assertThat(allows(cond("StringEquals", "iot:Certificate.Subject.OrganizationalUnit", "\"eu\""), S1))
                    .isTrue();
            assertThat(allows(cond("StringLike", "iot:Certificate.Issuer.CommonName", "\"*emulator CA\""), S1))
                    .isTrue();
            assertThat(allows(cond("StringEquals", "iot:Certificate.Subject.CommonName", "\"s1\""), BARE))
                    .isFalse();
        }

        @Test
        void documentedDevicePolicyConditionsWithVariables() {
            // AWS's device policy for fleet provisioning: connect only as the attached thing's own name.
            String condition = "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"},"
                    + "\"StringEquals\":{\"iot:ClientId\":\"${iot:Connection.Thing.ThingName}\"}}";
            assertThat(allows(condition, S1)).isTrue();
            assertThat(allows(condition, BARE)).isFalse();
        }

        @Test
        void unknownOperatorsAndKeysNeverApply() {
            assertThat(allows(cond("DateGreaterThan", "iot:ClientId", "\"2020-01-01T00:00:00Z\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringNotEquals", "aws:SecureTransport", "\"x\""), S1))
                    .isFalse();
            assertThat(allows(cond("StringEquals", "iot:Certificate.Subject.Nickname", "\"x\""), S1))
                    .isFalse();
        }

        @Test
        void conditionsAreAndedAcrossOperatorsAndKeys() {
            String both =
                    "{\"StringEquals\":{\"iot:ClientId\":\"s1\",\"iot:Connection.Thing.ThingTypeName\":\"Sensor\"},"
                            + "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}";
            assertThat(allows(both, S1)).isTrue();
            String oneFails =
                    "{\"StringEquals\":{\"iot:ClientId\":\"s1\",\"iot:Connection.Thing.ThingTypeName\":\"Pump\"}}";
            assertThat(allows(oneFails, S1)).isFalse();
        }

        @Test
        void aDenyWithANegatedConditionFencesEverythingElse() {
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                    + "{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"iot:Connect\",\"Resource\":\"*\","
                    + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";
            ConnectionContext outside = new ConnectionContext(
                    "us-east-1", "123456789012", "s1", "cert", null, null, Map.of(), Map.of(), Map.of(), "192.0.2.1");
            assertThat(PolicyEvaluator.isAllowed(List.of(PolicyDocument.parse(policy)), CONNECT, "s1", S1))
                    .isTrue();
            assertThat(PolicyEvaluator.isAllowed(List.of(PolicyDocument.parse(policy)), CONNECT, "s1", outside))
                    .isFalse();
        }
    }
}
