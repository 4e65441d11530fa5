package io.fleetprov.emulator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement's Condition block. Only {@code StringEquals} and {@code StringLike} on keys the emulator can resolve
 * (see {@link PolicyVariables}) are evaluated. Any other operator or key makes the block unsupported, and an
 * unsupported block never holds, so its statement never applies: an unknown Allow grants nothing, at the price
 * of an unknown Deny also denying nothing. Logging that trade-off is the caller's business.
 */
final class PolicyCondition {

    static final PolicyCondition NONE = new PolicyCondition(List.of(), true);

    private record Clause(String key, List<PolicyPattern> values) {}

    private final List<Clause> clauses;
    private final boolean supported;

    private PolicyCondition(List<Clause> clauses, boolean supported) {
        this.clauses = List.copyOf(clauses);
        this.supported = supported;
    }

    static PolicyCondition parse(JsonNode node, String label) {
        if (!node.isObject()) {
            throw new MalformedPolicyException(label + " must be an object of condition operators");
        }
        List<Clause> clauses = new ArrayList<>();
        boolean supported = true;
        for (Map.Entry<String, JsonNode> operator : iterable(node)) {
            String operatorLabel = label + "." + operator.getKey();
            if (!operator.getValue().isObject()) {
                throw new MalformedPolicyException(operatorLabel + " must be an object of condition keys");
            }
            boolean like = operator.getKey().equals("StringLike");
            boolean known = like || operator.getKey().equals("StringEquals");
            for (Map.Entry<String, JsonNode> key : iterable(operator.getValue())) {
                List<String> values = values(key.getValue(), operatorLabel + "." + key.getKey());
                if (known && PolicyVariables.isSupported(key.getKey())) {
                    clauses.add(new Clause(
                            key.getKey(),
                            values.stream()
                                    .map(v -> PolicyPattern.compile(v, like))
                                    .toList()));
                } else {
                    supported = false;
                }
            }
        }
        return new PolicyCondition(clauses, supported);
    }

    /** Clauses are ANDed, values within a clause ORed; a key with no value for this connection fails its clause. */
    boolean holds(ConnectionContext context) {
        if (!supported) {
            return false;
        }
        for (Clause clause : clauses) {
            String actual = PolicyVariables.resolve(clause.key(), context);
            if (actual == null || !anyMatches(clause.values(), actual, context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<PolicyPattern> values, String actual, ConnectionContext context) {
        for (PolicyPattern value : values) {
            int[] resolved = value.resolve(context);
            if (resolved != null && PolicyPattern.matches(resolved, actual)) {
                return true;
            }
        }
        return false;
    }

    // IAM accepts numbers and booleans as condition values (e.g. "Bool": {"aws:SecureTransport": true}).
    private static List<String> values(JsonNode node, String label) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw new MalformedPolicyException(label + " must not be an empty array");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isValueNode() || item.isNull()) {
                throw new MalformedPolicyException(label + " must be a string or an array of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }
}
