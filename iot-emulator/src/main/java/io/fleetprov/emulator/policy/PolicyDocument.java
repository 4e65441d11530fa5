package io.fleetprov.emulator.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A parsed and compiled AWS IoT policy document. Parsing validates the document the way CreatePolicy would, and
 * compiles every pattern once, because the broker evaluates policies on every publish.
 */
public final class PolicyDocument {

    private static final String VERSION = "2012-10-17";
    private static final Set<String> DOCUMENT_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

    // Duplicate keys and trailing garbage would otherwise be silently accepted, hiding typos in hand-written policies.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final List<PolicyStatement> statements;

    private PolicyDocument(List<PolicyStatement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses an IoT policy JSON document. Statement may be an object or an array; Action, NotAction, Resource and
     * NotResource may be a string or an array of strings. Version is optional but, when given, must be 2012-10-17
     * (the only version with policy variables).
     *
     * @throws MalformedPolicyException saying what is wrong
     */
    public static PolicyDocument parse(String json) {
        if (json == null) {
            throw new MalformedPolicyException("policy document is missing");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException("policy document is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("policy document must be a JSON object");
        }
        rejectUnknownKeys(root, DOCUMENT_KEYS, "policy document");
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && version.asText().equals(VERSION))) {
            throw new MalformedPolicyException("Version must be \"" + VERSION + "\", got " + version);
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new MalformedPolicyException("policy document is missing Statement");
        }
        List<PolicyStatement> statements = new ArrayList<>();
        if (statementNode.isObject()) {
            statements.add(parseStatement(statementNode, "Statement"));
        } else if (statementNode.isArray()) {
            if (statementNode.isEmpty()) {
                throw new MalformedPolicyException("Statement must not be an empty array");
            }
            for (int i = 0; i < statementNode.size(); i++) {
                String label = "Statement[" + i + "]";
                if (!statementNode.get(i).isObject()) {
                    throw new MalformedPolicyException(label + " must be an object");
                }
                statements.add(parseStatement(statementNode.get(i), label));
            }
        } else {
            throw new MalformedPolicyException("Statement must be an object or an array of objects");
        }
        return new PolicyDocument(statements);
    }

    List<PolicyStatement> statements() {
        return statements;
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + statements.size() + " statement(s)]";
    }

    private static PolicyStatement parseStatement(JsonNode node, String label) {
        rejectUnknownKeys(node, STATEMENT_KEYS, label);
        JsonNode effect = node.get("Effect");
        if (effect == null) {
            throw new MalformedPolicyException(label + " is missing Effect");
        }
        // IAM compares Effect exactly; "allow" is rejected rather than guessed at.
        if (!effect.isTextual()
                || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw new MalformedPolicyException(label + ".Effect must be \"Allow\" or \"Deny\", got " + effect);
        }
        String actionKey = exactlyOne(node, "Action", "NotAction", label);
        String resourceKey = exactlyOne(node, "Resource", "NotResource", label);
        JsonNode condition = node.get("Condition");
        return new PolicyStatement(
                effect.asText().equals("Deny"),
                strings(node.get(actionKey), label + "." + actionKey),
                actionKey.equals("NotAction"),
                strings(node.get(resourceKey), label + "." + resourceKey),
                resourceKey.equals("NotResource"),
                condition == null ? PolicyCondition.NONE : PolicyCondition.parse(condition, label + ".Condition"));
    }

    private static String exactlyOne(JsonNode node, String positive, String negative, String label) {
        boolean hasPositive = node.has(positive);
        boolean hasNegative = node.has(negative);
        if (hasPositive == hasNegative) {
            throw new MalformedPolicyException(
                    hasPositive
                            ? label + " must not have both " + positive + " and " + negative
                            : label + " is missing " + positive + " (or " + negative + ")");
        }
        return hasPositive ? positive : negative;
    }

    private static List<String> strings(JsonNode node, String label) {
        if (node.isTextual()) {
            return List.of(nonEmpty(node, label));
        }
        if (!node.isArray()) {
            throw new MalformedPolicyException(label + " must be a string or an array of strings, got " + node);
        }
        if (node.isEmpty()) {
            throw new MalformedPolicyException(label + " must not be an empty array");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String itemLabel = label + "[" + i + "]";
            if (!item.isTextual()) {
                throw new MalformedPolicyException(itemLabel + " must be a string, got " + item);
            }
            values.add(nonEmpty(item, itemLabel));
        }
        return values;
    }

    private static String nonEmpty(JsonNode node, String label) {
        if (node.asText().isEmpty()) {
            throw new MalformedPolicyException(label + " must not be empty");
        }
        return node.asText();
    }

    private static void rejectUnknownKeys(JsonNode node, Set<String> allowed, String label) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new MalformedPolicyException(label + " has unsupported element \"" + name + "\"");
            }
        }
    }
}
