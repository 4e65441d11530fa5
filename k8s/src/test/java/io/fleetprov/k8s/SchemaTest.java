package io.fleetprov.k8s;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses values that do not fit, before any template runs. */
class SchemaTest {

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("claimService.replicaCount", -1, "at '/claimService/replicaCount': minimum"),
                Arguments.of(
                        "claimService.replicaCount",
                        "two",
                        "at '/claimService/replicaCount': got string, want integer"),
                Arguments.of("claimService.hook.auth", "basic", "at '/claimService/hook/auth': value must be one of"),
                Arguments.of("postgresql.sslMode", "sometimes", "at '/postgresql/sslMode': value must be one of"),
                Arguments.of("simulator.shards", 0, "at '/simulator/shards': minimum"),
                Arguments.of("simulator.claimSource", "magic", "at '/simulator/claimSource'"),
                Arguments.of("iot.port", 70000, "at '/iot/port': maximum"),
                Arguments.of(
                        "containerSecurityContext.readOnlyRootFilesystem",
                        false,
                        "at '/containerSecurityContext/readOnlyRootFilesystem'"),
                Arguments.of("podSecurityContext.runAsNonRoot", false, "at '/podSecurityContext/runAsNonRoot'"),
                Arguments.of(
                        "claimService.serviceAccount.roleArn", "my-role", "at '/claimService/serviceAccount/roleArn'"),
                Arguments.of("auditService.replicaCount", 2, "at '/auditService/replicaCount': maximum"),
                Arguments.of("secrets.hookSharedSecret", "short", "at '/secrets/hookSharedSecret'"),
                Arguments.of("emulator.advertisedHost", "http://emulator:4566", "at '/emulator/advertisedHost'"),
                Arguments.of(
                        "emulator.identities.enabled",
                        "yes",
                        "at '/emulator/identities/enabled': got string, want boolean"),
                Arguments.of("emulator.identities.image.tag", "", "at '/emulator/identities/image/tag'"),
                Arguments.of(
                        "emulator.identities.image.pullPolicy",
                        "Sometimes",
                        "at '/emulator/identities/image/pullPolicy'"),
                Arguments.of("claimServce.replicaCount", 1, "additional properties 'claimServce' not allowed"));
    }

    @ParameterizedTest(name = "{0}={1} → {2}")
    @MethodSource("invalidValues")
    void refuses(String key, Object value, String expected) {
        assertThatThrownBy(() -> Chart.template().set(key, value).call())
                .hasMessageContaining("don't meet the specifications of the schema")
                .hasMessageContaining(expected);
    }

    @Test
    void aValidValueOfTheSameKindPasses() {
        // Guards the test above: the failures come from the values, not from calling Helm this way.
        assertThatCode(() -> Chart.template()
                        .set("claimService.replicaCount", 0)
                        .set("simulator.shards", 1)
                        .call())
                .doesNotThrowAnyException();
    }
}
