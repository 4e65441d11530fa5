package io.fleetprov.emulator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The template body as a whole: JSON, size, sections, Parameters, Mappings, DeviceConfiguration. */
class TemplateValidationTest {

    private final TemplateEngine engine = new TemplateEngine();

    private void assertRefused(String body, String... messageParts) {
        assertThatThrownBy(() -> engine.validate(body)).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidTemplate");
            assertThat(e.getMessage()).contains(messageParts);
        });
        // evaluate must refuse the same template the same way, whatever the parameters
        assertThatThrownBy(() -> engine.evaluate(body, Map.of(), "cert"))
                .isInstanceOfSatisfying(
                        TemplateException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidTemplate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"Resources\": {}", "{\"Resources\": {}} trailing"})
    void nonJsonIsRefused(String body) {
        assertRefused(body, "Template body is not valid JSON");
    }

    @Test
    void emptyAndNullBodiesAreRefused() {
        assertRefused("", "Template body is empty");
        assertRefused("   ", "Template body is empty");
        assertThatThrownBy(() -> engine.validate(null)).hasMessage("Template body is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
    void nonObjectIsRefused(String body) {
        assertRefused(body, "Template body must be a JSON object");
    }

    @Test
    void bodyOfExactly10240CharactersIsAcceptedAndOneMoreIsRefused() {
        String prefix = "{\"Resources\": {}, \"Description\": \"";
        String suffix = "\"}";
        String atLimit = prefix + "x".repeat(10240 - prefix.length() - suffix.length()) + suffix;
        assertThat(atLimit).hasSize(10240);
        assertThatCode(() -> engine.validate(atLimit)).doesNotThrowAnyException();
        String overLimit = prefix + "x".repeat(10241 - prefix.length() - suffix.length()) + suffix;
        assertRefused(overLimit, "10241 characters; the maximum is 10240");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertRefused("{\"Resources\": {}, \"Resources\": {}}", "Duplicate field 'Resources'");
    }

    @Test
    void resourcesSectionIsRequired() {
        assertRefused("{\"Parameters\": {}}", "Template has no Resources section");
    }

    @Test
    void unknownSectionIsRefusedButCloudFormationHeadersAreTolerated() {
        assertRefused("{\"Resources\": {}, \"Conditions\": {}}", "Unsupported template section 'Conditions'");
        assertThatCode(() -> engine.validate(
                        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Description\": \"d\", \"Resources\": {}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void sectionsMustBeObjects() {
        assertRefused("{\"Resources\": []}", "Resources must be a JSON object");
        assertRefused("{\"Resources\": {}, \"Parameters\": []}", "Parameters must be a JSON object");
        assertRefused("{\"Resources\": {}, \"Mappings\": \"m\"}", "Mappings must be a JSON object");
        assertRefused(
                "{\"Resources\": {}, \"DeviceConfiguration\": [\"a\"]}", "DeviceConfiguration must be a JSON object");
    }

    // Parameters

    @Test
    void parameterTypeMustBeString() {
        assertRefused(
                "{\"Parameters\": {\"A\": {\"Type\": \"Number\"}}, \"Resources\": {}}",
                "Parameters.A: Type must be \"String\"");
        assertRefused("{\"Parameters\": {\"A\": {}}, \"Resources\": {}}", "Parameters.A: Type must be \"String\"");
    }

    @Test
    void parameterDeclarationShapeIsChecked() {
        assertRefused("{\"Parameters\": {\"A\": \"String\"}, \"Resources\": {}}", "Parameters.A must be a JSON object");
        assertRefused(
                "{\"Parameters\": {\"A\": {\"Type\": \"String\", \"Default\": {\"Ref\": \"B\"}}}, \"Resources\": {}}",
                "Parameters.A: Default must be a string");
        assertRefused(
                "{\"Parameters\": {\"A\": {\"Type\": \"String\", \"AllowedPattern\": \"[0-9]+\"}}, \"Resources\": {}}",
                "Unsupported Parameters.A key 'AllowedPattern'");
    }

    @Test
    void parameterDescriptionIsAllowed() {
        assertThatCode(
                        () -> engine.validate(
                                "{\"Parameters\": {\"A\": {\"Type\": \"String\", \"Description\": \"the serial\"}}, \"Resources\": {}}"))
                .doesNotThrowAnyException();
    }

    // Mappings

    @Test
    void intrinsicsInMappingsAreRefused() {
        assertRefused("""
                {"Parameters": {"A": {"Type": "String"}},
                 "Mappings": {"M": {"top": {"second": {"Ref": "A"}}}}, "Resources": {}}""", "Mappings.M.top.second: intrinsic functions are not allowed in Mappings");
    }

    @Test
    void mappingsMustHaveTwoLevels() {
        assertRefused("{\"Mappings\": {\"M\": \"v\"}, \"Resources\": {}}", "Mappings.M must be a JSON object");
        assertRefused(
                "{\"Mappings\": {\"M\": {\"top\": \"v\"}}, \"Resources\": {}}", "Mappings.M.top must be a JSON object");
        assertRefused(
                "{\"Mappings\": {\"M\": {\"top\": {\"second\": {\"deeper\": \"v\"}}}}, \"Resources\": {}}",
                "Mappings.M.top.second: a mapping value must be");
        assertRefused(
                "{\"Mappings\": {\"M\": {\"top\": {\"second\": null}}}, \"Resources\": {}}",
                "Mappings.M.top.second: a mapping value must be");
    }

    // DeviceConfiguration

    @Test
    void deviceConfigurationMustBeFlat() {
        assertRefused(
                "{\"Resources\": {}, \"DeviceConfiguration\": {\"A\": {\"B\": \"c\"}}}",
                "DeviceConfiguration.A: nested objects and lists are not supported");
        assertRefused(
                "{\"Resources\": {}, \"DeviceConfiguration\": {\"A\": [\"b\"]}}",
                "DeviceConfiguration.A: nested objects and lists are not supported");
        assertRefused(
                "{\"Resources\": {}, \"DeviceConfiguration\": {\"A\": null}}",
                "DeviceConfiguration.A must not be null");
    }

    @Test
    void errorsNameWhereInTheTemplateTheyAre() {
        assertRefused(
                """
                {"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {
                   "ThingName": {"Fn::Join": ["", ["a", {"Fn::Select": ["x", ["b"]]}]]}}}}}""",
                "Resources.thing.Properties.ThingName: Fn::Join[1]: Fn::Select: index must be a non-negative integer, got 'x'");
    }

    @Test
    void exceptionCarriesTheGivenCodeAndMessage() {
        TemplateException e = new TemplateException("InvalidParameters", "msg");
        assertThat(e.errorCode()).isEqualTo("InvalidParameters");
        assertThat(e).hasMessage("msg");
    }
}
