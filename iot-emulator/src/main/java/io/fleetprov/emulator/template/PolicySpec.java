package io.fleetprov.emulator.template;

import java.util.Objects;

/**
 * An AWS::IoT::Policy of a template, evaluated.
 *
 * @param policyName the existing policy's name, or the SHA-256 name derived from the document
 * @param policyDocument the compact JSON document, or null when the template refers to an existing
 *     policy by name
 */
public record PolicySpec(String policyName, String policyDocument) {

    public PolicySpec {
        Objects.requireNonNull(policyName, "policyName");
    }
}
