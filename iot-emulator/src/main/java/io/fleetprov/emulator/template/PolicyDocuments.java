package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** Normalises policy documents and derives the name AWS gives a policy that the template does not name. */
final class PolicyDocuments {

    private PolicyDocuments() {}

    /** Reads a document written as an escaped JSON string, as the JITP and bulk examples do. */
    static ObjectNode parse(String json, String where) {
        JsonNode node = TemplateJson.read(json, where);
        if (!node.isObject()) {
            throw TemplateException.invalidTemplate(where + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Accepts the evaluated PolicyDocument in either written form: JSON object or JSON string. */
    static ObjectNode fromEvaluated(JsonNode evaluated, String where) {
        if (evaluated.isObject()) {
            return (ObjectNode) evaluated;
        }
        if (evaluated.isTextual()) {
            return parse(evaluated.asText(), where);
        }
        throw TemplateException.invalidTemplate(where + " must be a JSON object or a JSON string");
    }

    /**
     * Hex SHA-256 of the canonical document (compact, keys sorted at every level), so that the same
     * policy gets the same name whether written as an object or a string, and whatever its whitespace
     * or key order. That lets repeated RegisterThings reuse one policy instead of creating copies.
     */
    static String nameFor(ObjectNode document) {
        String canonical = TemplateJson.compact(sortKeys(document));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            names.forEach(name -> sorted.set(name, sortKeys(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(sortKeys(element)));
            return array;
        }
        return node;
    }
}
