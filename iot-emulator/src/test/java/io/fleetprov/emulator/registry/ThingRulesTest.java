package io.fleetprov.emulator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.template.TemplateEngine;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's rules for things, thing types and groups, and that a refusal leaves what was there untouched. */
class ThingRulesTest {

    private final Registry registry =
            new Registry(Clock.systemUTC(), new Arns("eu-west-1", "111122223333"), new TemplateEngine());

    @Test
    void attributeValuesFollowAwsPatternAndLength() {
        registry.things().create("ok", null, Map.of("v", "a-Z_0.9,@/:#=[]"), null, List.of());
        for (String bad : List.of("with space", "semi;colon", "quote\"", "x".repeat(801), "ünïcode")) {
            assertRefused(
                    () -> registry.things().create("t", null, Map.of("v", bad), null, List.of()),
                    ErrorType.InvalidRequestException);
        }
        registry.things().create("long", null, Map.of("v", "x".repeat(800)), null, List.of());
        assertRefused(
                () -> registry.things().create("t", null, Map.of("bad name", "v"), null, List.of()),
                ErrorType.InvalidRequestException);
        assertRefused(
                () -> registry.things().create("t", null, Map.of("=", "v"), null, List.of()),
                ErrorType.InvalidRequestException);
        assertThat(registry.things().find("t")).isEmpty();
    }

    @Test
    void threeAttributesWithoutAThingTypeFiftyWithOne() {
        registry.things().create("three", null, attributes(3), null, List.of());
        assertRefused(
                () -> registry.things().create("four", null, attributes(4), null, List.of()),
                ErrorType.InvalidRequestException);
        registry.thingTypes().create("sensor", "a sensor", List.of("a0"));
        registry.things().create("fifty", "sensor", attributes(50), null, List.of());
        assertRefused(
                () -> registry.things().create("fifty-one", "sensor", attributes(51), null, List.of()),
                ErrorType.InvalidRequestException);
        // Dropping the type of a thing with more than three attributes would break the rule, so it is refused.
        assertRefused(
                () -> registry.things().update("fifty", null, true, null, false, null),
                ErrorType.InvalidRequestException);
        assertThat(registry.things().get("fifty").thingTypeName()).isEqualTo("sensor");
        assertThat(registry.things().get("fifty").attributes()).hasSize(50);
    }

    @Test
    void thingTypesAndGroupsMustExist() {
        assertRefused(
                () -> registry.things().create("t", "missing", Map.of(), null, List.of()),
                ErrorType.ResourceNotFoundException);
        assertRefused(
                () -> registry.things().create("t", null, Map.of(), null, List.of("missing")),
                ErrorType.ResourceNotFoundException);
        registry.thingGroups().create("root", null, null, null);
        registry.thingGroups().create("child", "root", "d", Map.of("k", "v"));
        assertRefused(
                () -> registry.thingGroups().create("orphan", "missing", null, null),
                ErrorType.ResourceNotFoundException);
        registry.things().create("t", null, Map.of(), null, List.of("child"));
        assertRefused(() -> registry.things().addToGroup("t", "missing"), ErrorType.ResourceNotFoundException);
        registry.things().addToGroup("t", "root");
        registry.things().addToGroup("t", "root");
        assertThat(registry.things().get("t").thingGroups()).containsExactly("child", "root");
        assertThat(registry.things().get("t").version()).isOne();
    }

    @Test
    void updateThingMergesRemovesAndChecksTheVersion() {
        registry.thingTypes().create("sensor", null, null);
        registry.things().create("t", null, Map.of("a", "1", "b", "2"), null, List.of());
        Map<String, String> change = new HashMap<>();
        change.put("a", "");
        change.put("c", "3");
        registry.things().update("t", "sensor", false, change, true, 1L);
        Thing merged = registry.things().get("t");
        assertThat(merged.attributes()).containsOnly(Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(merged.thingTypeName()).isEqualTo("sensor");
        assertThat(merged.version()).isEqualTo(2);
        assertRefused(
                () -> registry.things().update("t", null, false, Map.of("d", "4"), false, 1L),
                ErrorType.VersionConflictException);
        registry.things().update("t", null, true, Map.of("d", "4"), false, 2L);
        assertThat(registry.things().get("t").attributes()).containsOnly(Map.entry("d", "4"));
        assertThat(registry.things().get("t").thingTypeName()).isNull();
        assertRefused(
                () -> registry.things().update("t", "sensor", true, null, false, null),
                ErrorType.InvalidRequestException);
        assertRefused(
                () -> registry.things().update("nope", null, false, null, false, null),
                ErrorType.ResourceNotFoundException);
    }

    @Test
    void policyVersionsFollowAwsRules() {
        String v1 = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}}";
        String v2 = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"*\"}}";
        registry.policies().create("p", v1);
        assertThat(registry.policies().createVersion("p", v2, false).isDefaultVersion())
                .isFalse();
        assertThat(registry.policies().get("p").policyDocument()).isEqualTo(v1);
        for (int i = 3; i <= PolicyStore.MAX_VERSIONS; i++) {
            registry.policies().createVersion("p", v2, i == 4);
        }
        assertThat(registry.policies().get("p").versionId()).isEqualTo("4");
        assertRefused(() -> registry.policies().createVersion("p", v2, true), ErrorType.VersionsLimitExceededException);
        assertRefused(
                () -> registry.policies().createVersion("p", "{\"Statement\":3}", true),
                ErrorType.MalformedPolicyException);
        assertRefused(() -> registry.policies().deleteVersion("p", "4"), ErrorType.DeleteConflictException);
        registry.policies().deleteVersion("p", "2");
        // Version ids are never reused.
        assertThat(registry.policies().createVersion("p", v1, false).versionId())
                .isEqualTo("6");
        assertRefused(() -> registry.policies().setDefaultVersion("p", "2"), ErrorType.ResourceNotFoundException);
        registry.policies().setDefaultVersion("p", "1");
        assertThat(registry.policies().get("p").policyDocument()).isEqualTo(v1);
        assertThat(registry.policies().versions("p"))
                .extracting(PolicyVersion::versionId)
                .containsExactly("1", "3", "4", "5", "6");
        assertRefused(() -> registry.deletePolicy("p"), ErrorType.DeleteConflictException);
        for (String id : List.of("3", "4", "5", "6")) {
            registry.policies().deleteVersion("p", id);
        }
        registry.deletePolicy("p");
        assertRefused(() -> registry.policies().get("p"), ErrorType.ResourceNotFoundException);
    }

    private static Map<String, String> attributes(int n) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            attributes.put("a" + i, "v" + i);
        }
        return attributes;
    }

    private static void assertRefused(Runnable call, ErrorType type) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.type()).isEqualTo(type));
    }
}
