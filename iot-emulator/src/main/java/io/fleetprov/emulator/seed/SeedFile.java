package io.fleetprov.emulator.seed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the emulator is seeded with at start. Templates and policies use the request bodies of AWS's
 * CreateProvisioningTemplate and CreatePolicy; {@code templateBody} and {@code policyDocument} may be given as
 * JSON objects or as the JSON strings AWS expects.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SeedFile(List<Template> provisioningTemplates, List<PolicySeed> policies) {

    public SeedFile {
        provisioningTemplates = provisioningTemplates == null ? List.of() : List.copyOf(provisioningTemplates);
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public record Template(String templateName, String description, JsonNode templateBody, Boolean enabled,
            String provisioningRoleArn, Hook preProvisioningHook, String type) {
    }

    public record Hook(String targetArn, String payloadVersion) {
    }

    public record PolicySeed(String policyName, JsonNode policyDocument) {
    }

    public static SeedFile read(Path path) {
        try {
            return new ObjectMapper().readValue(path.toFile(), SeedFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + path + ": " + e.getMessage(), e);
        }
    }

    /** A JSON value given either as a string holding JSON or as JSON itself, as a string. */
    static String asJsonString(JsonNode node) {
        return node == null ? null : node.isTextual() ? node.textValue() : node.toString();
    }
}
