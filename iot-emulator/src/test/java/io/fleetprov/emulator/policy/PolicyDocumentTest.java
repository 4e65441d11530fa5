package io.fleetprov.emulator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDocumentTest {

    private static final ConnectionContext CONTEXT =
            new ConnectionContext("eu-west-1", "111122223333", "c1", "cert", null, null, Map.of());

    private static boolean allows(PolicyDocument policy, IotAction action, String resource) {
        return PolicyEvaluator.isAllowed(List.of(policy), action, resource, CONTEXT);
    }

    @Test
    void stringAndArrayFormsMeanTheSame() {
        PolicyDocument strings = PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":
                  {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:eu-west-1:111122223333:topic/t"}}""");
        PolicyDocument arrays = PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["iot:Publish"],"Resource":["arn:aws:iot:eu-west-1:111122223333:topic/t"]}]}""");
        for (PolicyDocument policy : List.of(strings, arrays)) {
            assertThat(allows(policy, IotAction.PUBLISH, "t")).isTrue();
            assertThat(allows(policy, IotAction.PUBLISH, "u")).isFalse();
            assertThat(allows(policy, IotAction.RECEIVE, "t")).isFalse();
        }
    }

    @Test
    void versionIsOptionalAndSidAndEmptyConditionAreAccepted() {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Id":"p","Statement":[{"Sid":"all","Effect":"Allow","Action":"*","Resource":"*","Condition":{}}]}""");
        assertThat(allows(policy, IotAction.CONNECT, "c1")).isTrue();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("{not json", "not valid JSON"),
                arguments("", "must be a JSON object"),
                arguments("[]", "must be a JSON object"),
                arguments("{\"Statement\":[]} trailing", "not valid JSON"),
                arguments("{\"Version\":\"2012-10-17\"}", "missing Statement"),
                arguments("{\"Version\":\"2008-10-17\",\"Statement\":[]}", "Version must be \"2012-10-17\""),
                arguments("{\"Statement\":[]}", "Statement must not be an empty array"),
                arguments("{\"Statement\":\"x\"}", "Statement must be an object or an array"),
                arguments("{\"Statement\":[\"x\"]}", "Statement[0] must be an object"),
                arguments(
                        "{\"Statement\":[{\"Action\":\"iot:*\",\"Resource\":\"*\"}]}",
                        "Statement[0] is missing Effect"),
                arguments(
                        "{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}",
                        "Statement[0].Effect must be \"Allow\" or \"Deny\""),
                arguments(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
                        "Statement[0] is missing Action"),
                arguments(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\"}]}",
                        "Statement[0] is missing Resource"),
                arguments(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"*\","
                                + "\"Resource\":\"*\"}]}",
                        "must not have both Action and NotAction"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",3],\"Resource\":\"*\"}}",
                        "Statement.Action[1] must be a string"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":{\"a\":1}}}",
                        "Statement.Resource must be a string or an array of strings"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":[]}}",
                        "Statement.NotResource must not be an empty array"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"\",\"Resource\":\"*\"}}",
                        "Statement.Action must not be empty"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"topic/${iot:ClientId\"}}",
                        "unterminated policy variable"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}",
                        "unsupported element \"Principal\""),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}",
                        "not valid JSON"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":[]}}",
                        "Statement.Condition must be an object"),
                arguments(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEquals\":{\"iot:ClientId\":{}}}}}",
                        "Statement.Condition.StringEquals.iot:ClientId must be a string or an array of strings"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedDocumentsSayWhatIsWrong(String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nullDocumentIsMalformed() {
        assertThatThrownBy(() -> PolicyDocument.parse(null)).isInstanceOf(MalformedPolicyException.class);
    }
}
