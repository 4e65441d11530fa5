package io.fleetprov.emulator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Each intrinsic function, evaluated as the value of DeviceConfiguration.Out. */
class IntrinsicFunctionsTest {

    private static final String CERT_ID = "cert-123";
    private static final Map<String, String> PARAMS =
            Map.of("Serial", "SN-42", "Csv", "red,green,,blue", "Index", "1", "Region", "eu", "Tier", "gold");

    private final TemplateEngine engine = new TemplateEngine();

    private static String template(String expression) {
        return """
                {
                  "Parameters": {
                    "Serial": {"Type": "String"},
                    "Csv": {"Type": "String"},
                    "Index": {"Type": "String"},
                    "Region": {"Type": "String"},
                    "Tier": {"Type": "String"}
                  },
                  "Mappings": {
                    "Endpoints": {
                      "eu": {"gold": "https://eu-gold.example", "silver": "https://eu-silver.example", "Port": 8883},
                      "us": {"gold": "https://us-gold.example"}
                    },
                    "Lists": {"eu": {"Groups": ["g1", "g2"]}}
                  },
                  "Resources": {},
                  "DeviceConfiguration": {"Out": %s}
                }
                """.formatted(expression);
    }

    private String eval(String expression) {
        return engine.evaluate(template(expression), PARAMS, CERT_ID)
                .deviceConfiguration()
                .get("Out");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertInvalidTemplate(String expression) {
        return assertThatThrownBy(() -> eval(expression))
                .isInstanceOf(TemplateException.class)
                .satisfies(e -> assertThat(((TemplateException) e).errorCode()).isEqualTo("InvalidTemplate"));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefusedByValidate(String expression) {
        return assertThatThrownBy(() -> engine.validate(template(expression)))
                .isInstanceOf(TemplateException.class)
                .satisfies(e -> assertThat(((TemplateException) e).errorCode()).isEqualTo("InvalidTemplate"));
    }

    // Ref

    @Test
    void refReadsAParameter() {
        assertThat(eval("{\"Ref\": \"Serial\"}")).isEqualTo("SN-42");
    }

    @Test
    void refReadsTheCertificateIdPseudoParameter() {
        assertThat(eval("{\"Ref\": \"AWS::IoT::Certificate::Id\"}")).isEqualTo(CERT_ID);
    }

    @Test
    void refToAnUndeclaredNameIsRefusedAtValidation() {
        assertRefusedByValidate("{\"Ref\": \"Nope\"}")
                .hasMessageContaining("DeviceConfiguration.Out: Ref refers to undeclared parameter 'Nope'");
    }

    @Test
    void refToAnUndeclaredNameIsRefusedEvenIfTheDeviceSendsIt() {
        assertThatThrownBy(() -> engine.evaluate(
                        template("{\"Ref\": \"Extra\"}"),
                        Map.of("Extra", "x", "Serial", "", "Csv", "", "Index", "", "Region", "", "Tier", ""),
                        CERT_ID))
                .hasMessageContaining("undeclared parameter 'Extra'");
    }

    @Test
    void refToJitpPseudoParameterIsNotAvailableInFleetTemplates() {
        assertRefusedByValidate("{\"Ref\": \"AWS::IoT::Certificate::CommonName\"}")
                .hasMessageContaining("undeclared parameter 'AWS::IoT::Certificate::CommonName'");
    }

    @Test
    void refArgumentMustBeAString() {
        assertRefusedByValidate("{\"Ref\": [\"Serial\"]}").hasMessageContaining("Ref takes a parameter name");
    }

    // Fn::Join

    @Test
    void joinConcatenatesWithTheDelimiter() {
        assertThat(eval("{\"Fn::Join\": [\"-\", [\"a\", {\"Ref\": \"Serial\"}, 7, true]]}"))
                .isEqualTo("a-SN-42-7-true");
    }

    @Test
    void joinOfAnEmptyListIsEmpty() {
        assertThat(eval("{\"Fn::Join\": [\",\", []]}")).isEmpty();
    }

    @Test
    void joinAcceptsAListProducedBySplit() {
        assertThat(eval("{\"Fn::Join\": [\"|\", {\"Fn::Split\": [\",\", {\"Ref\": \"Csv\"}]}]}"))
                .isEqualTo("red|green||blue");
    }

    @Test
    void joinWithWrongArityIsRefused() {
        assertRefusedByValidate("{\"Fn::Join\": [\"-\"]}").hasMessageContaining("Fn::Join takes [delimiter, [values]]");
    }

    @Test
    void joinOfAScalarInsteadOfAListIsRefused() {
        assertRefusedByValidate("{\"Fn::Join\": [\"-\", \"abc\"]}").hasMessageContaining("must be a list");
    }

    @Test
    void joinOfAStringValuedFunctionFailsOnEvaluation() {
        assertInvalidTemplate("{\"Fn::Join\": [\"-\", {\"Ref\": \"Serial\"}]}")
                .hasMessageContaining("Fn::Join must be a list, got 'SN-42'");
    }

    @Test
    void joinOfNestedListsIsRefused() {
        assertInvalidTemplate("{\"Fn::Join\": [\"-\", [\"a\", [\"b\"]]]}")
                .hasMessageContaining("must be a string, got a list");
    }

    // Fn::Select

    @Test
    void selectPicksByNumberOrStringIndex() {
        assertThat(eval("{\"Fn::Select\": [0, [\"a\", \"b\"]]}")).isEqualTo("a");
        assertThat(eval("{\"Fn::Select\": [\"1\", [\"a\", \"b\"]]}")).isEqualTo("b");
    }

    @Test
    void selectIndexMayComeFromAParameter() {
        assertThat(eval("{\"Fn::Select\": [{\"Ref\": \"Index\"}, {\"Fn::Split\": [\",\", {\"Ref\": \"Csv\"}]}]}"))
                .isEqualTo("green");
    }

    @Test
    void selectOutOfRangeFailsOnEvaluation() {
        assertInvalidTemplate("{\"Fn::Select\": [4, {\"Fn::Split\": [\",\", {\"Ref\": \"Csv\"}]}]}")
                .hasMessageContaining("Fn::Select: index 4 is out of range for a list of 4 element(s)");
    }

    @Test
    void selectWithNegativeOrNonNumericLiteralIndexIsRefusedAtValidation() {
        assertRefusedByValidate("{\"Fn::Select\": [-1, [\"a\"]]}")
                .hasMessageContaining("index must be a non-negative integer, got '-1'");
        assertRefusedByValidate("{\"Fn::Select\": [\"one\", [\"a\"]]}").hasMessageContaining("got 'one'");
        assertRefusedByValidate("{\"Fn::Select\": [1.5, [\"a\", \"b\"]]}").hasMessageContaining("got '1.5'");
    }

    @Test
    void selectWithNonNumericComputedIndexFailsOnEvaluation() {
        assertInvalidTemplate("{\"Fn::Select\": [{\"Ref\": \"Serial\"}, [\"a\"]]}")
                .hasMessageContaining("index must be a non-negative integer, got 'SN-42'");
    }

    @Test
    void selectWithWrongArityIsRefused() {
        assertRefusedByValidate("{\"Fn::Select\": [0]}").hasMessageContaining("Fn::Select takes [index, [values]]");
    }

    // Fn::FindInMap

    @Test
    void findInMapWithLiteralKeys() {
        assertThat(eval("{\"Fn::FindInMap\": [\"Endpoints\", \"us\", \"gold\"]}"))
                .isEqualTo("https://us-gold.example");
    }

    @Test
    void findInMapWithComputedKeys() {
        assertThat(eval("{\"Fn::FindInMap\": [\"Endpoints\", {\"Ref\": \"Region\"}, {\"Ref\": \"Tier\"}]}"))
                .isEqualTo("https://eu-gold.example");
    }

    @Test
    void findInMapNumberValueBecomesAString() {
        assertThat(eval("{\"Fn::FindInMap\": [\"Endpoints\", \"eu\", \"Port\"]}"))
                .isEqualTo("8883");
    }

    @Test
    void findInMapListValueCanFeedJoin() {
        assertThat(eval("{\"Fn::Join\": [\"+\", {\"Fn::FindInMap\": [\"Lists\", \"eu\", \"Groups\"]}]}"))
                .isEqualTo("g1+g2");
    }

    @Test
    void findInMapMissingKeysFailOnEvaluation() {
        assertThatThrownBy(() -> engine.evaluate(
                        template("{\"Fn::FindInMap\": [\"Endpoints\", {\"Ref\": \"Region\"}, {\"Ref\": \"Tier\"}]}"),
                        Map.of("Serial", "", "Csv", "", "Index", "", "Region", "us", "Tier", "silver"),
                        CERT_ID))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidTemplate");
                    assertThat(e.getMessage()).contains("mapping 'Endpoints' key 'us' has no key 'silver'");
                });
    }

    @Test
    void findInMapWithLiteralUnknownMapOrKeyIsRefusedAtValidation() {
        assertRefusedByValidate("{\"Fn::FindInMap\": [\"Nope\", {\"Ref\": \"Region\"}, \"gold\"]}")
                .hasMessageContaining("unknown mapping 'Nope'");
        assertRefusedByValidate("{\"Fn::FindInMap\": [\"Endpoints\", \"asia\", \"gold\"]}")
                .hasMessageContaining("mapping 'Endpoints' has no key 'asia'");
    }

    @Test
    void findInMapWithWrongArityIsRefused() {
        assertRefusedByValidate("{\"Fn::FindInMap\": [\"Endpoints\", \"eu\"]}")
                .hasMessageContaining("Fn::FindInMap takes [MapName, TopKey, SecondKey]");
    }

    // Fn::Split

    @Test
    void splitKeepsEmptyPiecesAndIsNotARegex() {
        assertThat(eval("{\"Fn::Select\": [2, {\"Fn::Split\": [\",\", {\"Ref\": \"Csv\"}]}]}"))
                .isEmpty();
        assertThat(eval("{\"Fn::Join\": [\"/\", {\"Fn::Split\": [\".\", \"a.b.c\"]}]}"))
                .isEqualTo("a/b/c");
        assertThat(eval("{\"Fn::Join\": [\"/\", {\"Fn::Split\": [\"::\", \"a::b::\"]}]}"))
                .isEqualTo("a/b/");
    }

    @Test
    void splitResultAsAFinalValueIsRefused() {
        assertInvalidTemplate("{\"Fn::Split\": [\",\", \"a,b\"]}")
                .hasMessageContaining("DeviceConfiguration.Out must be a string, got a list");
    }

    @Test
    void splitWithEmptyDelimiterIsRefused() {
        assertRefusedByValidate("{\"Fn::Split\": [\"\", \"abc\"]}").hasMessageContaining("delimiter must not be empty");
    }

    // Fn::Sub

    @Test
    void subReplacesParametersAndPseudoParameters() {
        assertThat(eval("{\"Fn::Sub\": \"dev/${Serial}/${AWS::IoT::Certificate::Id}\"}"))
                .isEqualTo("dev/SN-42/" + CERT_ID);
    }

    @Test
    void subWithVariableMapEvaluatesItsValuesAndShadowsParameters() {
        assertThat(eval("""
                {"Fn::Sub": ["${Prefix}-${Serial}-${Region}",
                  {"Prefix": {"Fn::Join": ["", ["x", "y"]]}, "Serial": "shadowed"}]}""")).isEqualTo("xy-shadowed-eu");
    }

    @Test
    void subEscapeKeepsALiteralPlaceholder() {
        assertThat(eval("{\"Fn::Sub\": \"${!iot:ClientId} is ${Serial}\"}")).isEqualTo("${iot:ClientId} is SN-42");
    }

    @Test
    void subWithoutPlaceholdersIsTheStringItself() {
        assertThat(eval("{\"Fn::Sub\": \"plain $ {text}\"}")).isEqualTo("plain $ {text}");
    }

    @Test
    void subWithUnknownVariableIsRefusedAtValidation() {
        assertRefusedByValidate("{\"Fn::Sub\": \"x-${Unknown}\"}")
                .hasMessageContaining("unknown variable '${Unknown}'");
    }

    @Test
    void subWithUnterminatedOrEmptyPlaceholderIsRefused() {
        assertRefusedByValidate("{\"Fn::Sub\": \"x-${Serial\"}").hasMessageContaining("unterminated '${'");
        assertRefusedByValidate("{\"Fn::Sub\": \"x-${}\"}").hasMessageContaining("empty variable");
    }

    @Test
    void subWithMalformedArgumentIsRefused() {
        assertRefusedByValidate("{\"Fn::Sub\": [\"${A}\"]}").hasMessageContaining("Fn::Sub takes a string or");
        assertRefusedByValidate("{\"Fn::Sub\": 5}").hasMessageContaining("Fn::Sub takes a string or");
    }

    @Test
    void subVariableThatYieldsAListIsRefused() {
        assertInvalidTemplate("{\"Fn::Sub\": [\"${L}\", {\"L\": {\"Fn::Split\": [\",\", \"a,b\"]}}]}")
                .hasMessageContaining("Fn::Sub variable L must be a string, got a list");
    }

    // Nesting and unsupported functions

    @Test
    void functionsNestArbitrarily() {
        String expression = """
                {"Fn::Join": ["", [
                  {"Fn::Sub": ["${Host}:", {"Host": {"Fn::Select": [1,
                      {"Fn::Split": ["//", {"Fn::FindInMap": ["Endpoints", {"Ref": "Region"}, {"Ref": "Tier"}]}]}]}}]},
                  {"Fn::FindInMap": ["Endpoints", "eu", "Port"]}]]}""";
        assertThat(eval(expression)).isEqualTo("eu-gold.example:8883");
    }

    @Test
    void unsupportedFunctionsAreRefusedByName() {
        assertRefusedByValidate("{\"Fn::If\": [\"Cond\", \"a\", \"b\"]}")
                .hasMessageContaining("unsupported intrinsic function Fn::If");
        assertRefusedByValidate("{\"Fn::GetAtt\": [\"thing\", \"Arn\"]}")
                .hasMessageContaining("unsupported intrinsic function Fn::GetAtt");
        assertRefusedByValidate("{\"Fn::Join\": [\"\", [{\"Fn::Base64\": \"x\"}]]}")
                .hasMessageContaining("unsupported intrinsic function Fn::Base64");
    }
}
