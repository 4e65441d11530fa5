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
                Arguments.of("claimService.replicaCount", -1),
                Arguments.of("claimService.replicaCount", "two"),
                Arguments.of("claimService.hook.auth", "basic"),
                Arguments.of("postgresql.sslMode", "sometimes"),
                Arguments.of("simulator.shards", 0),
                Arguments.of("simulator.claimSource", "magic"),
                Arguments.of("iot.port", 70000),
                Arguments.of("containerSecurityContext.readOnlyRootFilesystem", false),
                Arguments.of("podSecurityContext.runAsNonRoot", false),
                Arguments.of("claimService.serviceAccount.roleArn", "my-role"),
                Arguments.of("claimServce.replicaCount", 1));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidValues")
    void refuses(String key, Object value) {
        assertThatThrownBy(() -> Chart.template().set(key, value).call())
                .hasMessageContaining("schema");
    }

    @Test
    void aValidValueOfTheSameKindPasses() {
        // Guards the test above: the failures come from the values, not from calling Helm this way.
        assertThatCode(() -> Chart.template().set("claimService.replicaCount", 0).set("simulator.shards", 1).call())
                .doesNotThrowAnyException();
    }
}
