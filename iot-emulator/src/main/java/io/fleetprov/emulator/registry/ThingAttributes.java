package io.fleetprov.emulator.registry;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS's rules for thing attributes (service model: name {@code [a-zA-Z0-9_.,@/:#-]+} up to 128, value
 * {@code [a-zA-Z0-9_.,@/:#=\[\]-]*} up to 800) and their number: three for a thing without a thing type, fifty with
 * one (developer guide, "Thing types"; CloudFormation's AttributePayload says "up to three attributes").
 */
final class ThingAttributes {

    static final int MAX_WITHOUT_TYPE = 3;
    static final int MAX_WITH_TYPE = 50;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]{0,800}");

    private ThingAttributes() {}

    static void validate(Map<String, String> attributes, boolean hasType) {
        int max = hasType ? MAX_WITH_TYPE : MAX_WITHOUT_TYPE;
        if (attributes.size() > max) {
            throw RegistryException.invalid("A thing " + (hasType ? "with" : "without") + " a thing type may have at"
                    + " most " + max + " attributes, got " + attributes.size());
        }
        attributes.forEach((name, value) -> {
            requireName(name);
            if (value == null || !VALUE.matcher(value).matches()) {
                throw RegistryException.invalid("Invalid value of attribute " + name + ": it must match "
                        + VALUE.pattern().replace("{0,800}", "*") + " and be at most 800 characters");
            }
        });
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RegistryException.invalid("Invalid attribute name: " + name);
        }
    }
}
