package io.fleetprov.emulator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A statement's Condition block, evaluated as IAM does for AWS IoT policies: operators ({@link ConditionOperator})
 * are ANDed, keys within an operator are ANDed, the values of a key are ORed. A key absent from the request context
 * fails a positive operator and satisfies a negated one ({@code StringNotEquals}, {@code NotIpAddress}, ...);
 * {@code ...IfExists} makes an absent key satisfy any operator; {@code Null} tests presence itself;
 * {@code ForAnyValue:} and {@code ForAllValues:} compare every value of a multi-valued key
 * ({@code iot:Certificate.Subject.*.List}).
 *
 * <p>An operator or key the emulator cannot evaluate (Date*, Binary*, keys outside {@link PolicyVariables}) makes
 * the block unsupported, and an unsupported block never holds, so its statement never applies: an unknown Allow
 * grants nothing, at the price of an unknown Deny also denying nothing.
 */
final class PolicyCondition {

    static final PolicyCondition NONE = new PolicyCondition(List.of(), true);

    private enum SetQualifier {
        NONE,
        FOR_ANY_VALUE,
        FOR_ALL_VALUES
    }

    private record Clause(
            ConditionOperator operator,
            SetQualifier qualifier,
            boolean ifExists,
            String key,
            List<PolicyPattern> values) {}

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
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String operatorLabel = label + "." + entry.getKey();
            if (!entry.getValue().isObject()) {
                throw new MalformedPolicyException(operatorLabel + " must be an object of condition keys");
            }
            String name = entry.getKey();
            SetQualifier qualifier = SetQualifier.NONE;
            if (name.startsWith("ForAnyValue:")) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            } else if (name.startsWith("ForAllValues:")) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            }
            // Null has no IfExists form: "NullIfExists" would be meaningless, and IAM does not define it.
            boolean ifExists = name.endsWith("IfExists") && !name.equals("Null");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            ConditionOperator operator = ConditionOperator.named(name);
            for (Map.Entry<String, JsonNode> key : entry.getValue().properties()) {
                String keyLabel = operatorLabel + "." + key.getKey();
                List<String> values = values(key.getValue(), keyLabel);
                if (operator == null || !PolicyVariables.isSupported(key.getKey())) {
                    supported = false;
                    continue;
                }
                operator.validate(values, keyLabel);
                clauses.add(new Clause(
                        operator,
                        qualifier,
                        ifExists,
                        key.getKey(),
                        values.stream()
                                .map(v -> PolicyPattern.compile(v, operator.wildcards()))
                                .toList()));
            }
        }
        return new PolicyCondition(clauses, supported);
    }

    boolean holds(ConnectionContext context) {
        if (!supported) {
            return false;
        }
        for (Clause clause : clauses) {
            if (!holds(clause, context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Clause clause, ConnectionContext context) {
        List<String> actual = PolicyVariables.values(clause.key(), context);
        ConditionOperator operator = clause.operator();
        if (operator == ConditionOperator.NULL) {
            // "Null": "true" asks for the key to be absent, "false" for it to be present.
            boolean absent = actual.isEmpty();
            return clause.values().stream()
                    .map(v -> text(v.resolve(context)))
                    .anyMatch(v -> v != null && Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)) == absent);
        }
        if (actual.isEmpty()) {
            return switch (clause.qualifier()) {
                // Nothing to compare: "any" finds none, "all" holds vacuously.
                case FOR_ANY_VALUE -> clause.ifExists();
                case FOR_ALL_VALUES -> true;
                case NONE -> clause.ifExists() || operator.negated();
            };
        }
        return switch (clause.qualifier()) {
            case FOR_ALL_VALUES -> actual.stream().allMatch(a -> satisfies(clause, a, context));
            // A single-valued key is a set of one: both forms reduce to the plain operator.
            case FOR_ANY_VALUE, NONE -> actual.stream().anyMatch(a -> satisfies(clause, a, context));
        };
    }

    /** A negated operator holds when no value matches; the others when any does. */
    private static boolean satisfies(Clause clause, String actual, ConnectionContext context) {
        boolean anyMatches = false;
        for (PolicyPattern value : clause.values()) {
            int[] resolved = value.resolve(context);
            if (resolved != null && clause.operator().matches(resolved, actual)) {
                anyMatches = true;
                break;
            }
        }
        return clause.operator().negated() != anyMatches;
    }

    static String text(int[] resolved) {
        return resolved == null ? null : new String(resolved, 0, resolved.length);
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
            values.add(item.isBigDecimal() ? item.decimalValue().toPlainString() : item.asText());
        }
        return values;
    }

    static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
