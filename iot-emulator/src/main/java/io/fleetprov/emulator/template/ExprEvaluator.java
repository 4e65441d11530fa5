package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates compiled {@link Expr}s against one device's parameter values. Results are plain JSON
 * (strings, lists, objects) with no intrinsics left, so callers only check the shape they need.
 */
final class ExprEvaluator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, String> values;
    private final Mappings mappings;

    /** @param values every referenceable name (declared parameters and pseudo-parameters) → its value */
    ExprEvaluator(Map<String, String> values, Mappings mappings) {
        this.values = Map.copyOf(values);
        this.mappings = mappings;
    }

    JsonNode evaluate(Expr expr, String where) {
        // Java 17 has no pattern matching for switch, hence the instanceof chain over the sealed type.
        if (expr instanceof Expr.Literal literal) {
            return literal.value();
        }
        if (expr instanceof Expr.ListOf list) {
            ArrayNode array = JSON.arrayNode();
            for (Expr element : list.elements()) {
                array.add(evaluate(element, where));
            }
            return array;
        }
        if (expr instanceof Expr.ObjectOf object) {
            ObjectNode node = JSON.objectNode();
            object.fields().forEach((key, value) -> node.set(key, evaluate(value, where + "." + key)));
            return node;
        }
        if (expr instanceof Expr.Ref ref) {
            return TextNode.valueOf(value(ref.name()));
        }
        if (expr instanceof Expr.Join join) {
            return TextNode.valueOf(String.join(
                    evaluateString(join.delimiter(), where + ": Fn::Join delimiter"),
                    evaluateStringList(join.values(), where + ": Fn::Join")));
        }
        if (expr instanceof Expr.Select select) {
            return select(select, where);
        }
        if (expr instanceof Expr.FindInMap find) {
            return mappings.lookup(
                    evaluateString(find.mapName(), where + ": Fn::FindInMap MapName"),
                    evaluateString(find.topKey(), where + ": Fn::FindInMap TopKey"),
                    evaluateString(find.secondKey(), where + ": Fn::FindInMap SecondKey"),
                    where);
        }
        if (expr instanceof Expr.Split split) {
            return split(split, where);
        }
        if (expr instanceof Expr.Sub sub) {
            return TextNode.valueOf(substitute(sub, where));
        }
        throw new IllegalStateException("Unknown expression " + expr);
    }

    /** Numbers and booleans count as strings, as they do in AWS's string-typed template properties. */
    String evaluateString(Expr expr, String where) {
        return asString(evaluate(expr, where), where);
    }

    List<String> evaluateStringList(Expr expr, String where) {
        JsonNode node = evaluate(expr, where);
        if (!node.isArray()) {
            throw TemplateException.invalidTemplate(where + " must be a list, got " + describe(node));
        }
        List<String> strings = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            strings.add(asString(element, where + " element"));
        }
        return strings;
    }

    static String asString(JsonNode node, String where) {
        if (node.isValueNode() && !node.isNull()) {
            return node.asText();
        }
        throw TemplateException.invalidTemplate(where + " must be a string, got " + describe(node));
    }

    private String value(String name) {
        String value = values.get(name);
        if (value == null) {
            // The parser only lets declared names through and missing ones are reported first.
            throw new IllegalStateException("No value bound for parameter " + name);
        }
        return value;
    }

    private JsonNode select(Expr.Select select, String where) {
        String at = where + ": Fn::Select";
        int index = ExprParser.parseIndex(evaluateString(select.index(), at + " index"), at);
        JsonNode list = evaluate(select.values(), at);
        if (!list.isArray()) {
            throw TemplateException.invalidTemplate(at + ": the second argument must be a list, got " + describe(list));
        }
        if (index >= list.size()) {
            throw TemplateException.invalidTemplate(
                    at + ": index " + index + " is out of range for a list of " + list.size() + " element(s)");
        }
        return list.get(index);
    }

    private JsonNode split(Expr.Split split, String where) {
        String at = where + ": Fn::Split";
        String delimiter = evaluateString(split.delimiter(), at + " delimiter");
        if (delimiter.isEmpty()) {
            throw TemplateException.invalidTemplate(at + ": the delimiter must not be empty");
        }
        String source = evaluateString(split.source(), at + " string");
        // Literal (not regex) splitting that keeps empty pieces, like CloudFormation: "a,,b" → [a, "", b].
        ArrayNode pieces = JSON.arrayNode();
        int start = 0;
        int next;
        while ((next = source.indexOf(delimiter, start)) >= 0) {
            pieces.add(source.substring(start, next));
            start = next + delimiter.length();
        }
        pieces.add(source.substring(start));
        return pieces;
    }

    private String substitute(Expr.Sub sub, String where) {
        StringBuilder out = new StringBuilder();
        for (Expr.SubPart part : sub.parts()) {
            if (part instanceof Expr.SubPart.Text text) {
                out.append(text.text());
            } else if (part instanceof Expr.SubPart.Variable variable) {
                // A variable given in the [string, {vars}] form hides a parameter of the same name.
                Expr local = sub.variables().get(variable.name());
                out.append(
                        local != null
                                ? evaluateString(local, where + ": Fn::Sub variable " + variable.name())
                                : value(variable.name()));
            }
        }
        return out.toString();
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isNull()) {
            return "null";
        }
        return "'" + node.asText() + "'";
    }
}
