package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles template values into {@link Expr}s. Everything that can be checked without the device's
 * parameters is checked here, so that a broken template is refused when it is created rather than
 * on the first device that uses it.
 */
final class ExprParser {

    /** The only pseudo-parameter fleet provisioning fills. */
    static final String CERTIFICATE_ID = "AWS::IoT::Certificate::Id";

    private final Set<String> referenceable;
    private final Mappings mappings;

    /** @param declaredParameters names in the template's Parameters section */
    ExprParser(Set<String> declaredParameters, Mappings mappings) {
        Set<String> names = new HashSet<>(declaredParameters);
        names.add(CERTIFICATE_ID);
        this.referenceable = Collections.unmodifiableSet(names);
        this.mappings = mappings;
    }

    /** An object with a single key {@code Ref} or {@code Fn::…} is a function call, as in CloudFormation. */
    static boolean isIntrinsic(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            return false;
        }
        String key = node.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }

    /** Any value: literal JSON, possibly with intrinsics nested anywhere inside. */
    Expr parse(JsonNode node, String where) {
        if (isIntrinsic(node)) {
            Map.Entry<String, JsonNode> call = node.properties().iterator().next();
            return parseCall(call.getKey(), call.getValue(), where);
        }
        if (node.isObject()) {
            Map<String, Expr> fields = new LinkedHashMap<>();
            node.properties()
                    .iterator()
                    .forEachRemaining(f -> fields.put(f.getKey(), parse(f.getValue(), where + "." + f.getKey())));
            return new Expr.ObjectOf(Collections.unmodifiableMap(fields));
        }
        if (node.isArray()) {
            List<Expr> elements = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                elements.add(parse(node.get(i), where + "[" + i + "]"));
            }
            return new Expr.ListOf(elements);
        }
        return new Expr.Literal(node);
    }

    /** A value that must end up a single string: a literal scalar or a function call. */
    Expr parseScalar(JsonNode node, String where) {
        if (node.isArray() || (node.isObject() && !isIntrinsic(node))) {
            throw TemplateException.invalidTemplate(where + " must be a string or an intrinsic function, not "
                    + (node.isArray() ? "a list" : "an object"));
        }
        if (node.isNull()) {
            throw TemplateException.invalidTemplate(where + " must not be null");
        }
        return parse(node, where);
    }

    /** A flat name → string map such as AttributePayload or DeviceConfiguration; key order is kept. */
    Map<String, Expr> parseFlatMap(JsonNode node, String where) {
        if (!node.isObject() || isIntrinsic(node)) {
            throw TemplateException.invalidTemplate(where + " must be a JSON object of names to values");
        }
        Map<String, Expr> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String entryWhere = where + "." + e.getKey();
            if (e.getValue().isArray() || (e.getValue().isObject() && !isIntrinsic(e.getValue()))) {
                throw TemplateException.invalidTemplate(entryWhere + ": nested objects and lists are not supported; "
                        + "values must be strings, numbers, booleans or intrinsic functions");
            }
            entries.put(e.getKey(), parseScalar(e.getValue(), entryWhere));
        }
        return Collections.unmodifiableMap(entries);
    }

    private Expr parseCall(String function, JsonNode arg, String where) {
        String at = where + ": " + function;
        return switch (function) {
            case "Ref" -> parseRef(arg, at);
            case "Fn::Join" -> {
                List<JsonNode> args = arguments(arg, 2, at, "[delimiter, [values]]");
                yield new Expr.Join(parseScalar(args.get(0), at + " delimiter"), parseList(args.get(1), at));
            }
            case "Fn::Select" -> {
                List<JsonNode> args = arguments(arg, 2, at, "[index, [values]]");
                if (args.get(0).isValueNode()) {
                    parseIndex(args.get(0).asText(), at);
                }
                yield new Expr.Select(parseScalar(args.get(0), at + " index"), parseList(args.get(1), at));
            }
            case "Fn::FindInMap" -> parseFindInMap(arguments(arg, 3, at, "[MapName, TopKey, SecondKey]"), where, at);
            case "Fn::Split" -> {
                List<JsonNode> args = arguments(arg, 2, at, "[delimiter, string]");
                if (args.get(0).isTextual() && args.get(0).asText().isEmpty()) {
                    throw TemplateException.invalidTemplate(at + ": the delimiter must not be empty");
                }
                yield new Expr.Split(
                        parseScalar(args.get(0), at + " delimiter"), parseScalar(args.get(1), at + " string"));
            }
            case "Fn::Sub" -> parseSub(arg, at);
            default -> throw TemplateException.invalidTemplate(where + ": unsupported intrinsic function " + function);
        };
    }

    private Expr parseRef(JsonNode arg, String at) {
        if (!arg.isTextual()) {
            throw TemplateException.invalidTemplate(at + " takes a parameter name as a string");
        }
        String name = arg.asText();
        if (!referenceable.contains(name)) {
            throw TemplateException.invalidTemplate(at + " refers to undeclared parameter '" + name + "'");
        }
        return new Expr.Ref(name);
    }

    /** The list argument of Join and Select: a literal list, or a function that yields one (Fn::Split). */
    private Expr parseList(JsonNode node, String at) {
        if (!node.isArray() && !isIntrinsic(node)) {
            throw TemplateException.invalidTemplate(at + ": the second argument must be a list");
        }
        return parse(node, at);
    }

    private Expr parseFindInMap(List<JsonNode> args, String where, String at) {
        Expr mapName = parseScalar(args.get(0), at + " MapName");
        Expr topKey = parseScalar(args.get(1), at + " TopKey");
        Expr secondKey = parseScalar(args.get(2), at + " SecondKey");
        // Literal keys can be looked up now; keys computed from parameters are checked on evaluation.
        if (args.get(0).isTextual() && !mappings.hasMap(args.get(0).asText())) {
            throw TemplateException.invalidTemplate(
                    at + " refers to unknown mapping '" + args.get(0).asText() + "'");
        }
        if (args.stream().allMatch(JsonNode::isTextual)) {
            mappings.lookup(
                    args.get(0).asText(), args.get(1).asText(), args.get(2).asText(), where);
        }
        return new Expr.FindInMap(mapName, topKey, secondKey);
    }

    private Expr parseSub(JsonNode arg, String at) {
        JsonNode text;
        Map<String, Expr> variables = new LinkedHashMap<>();
        if (arg.isTextual()) {
            text = arg;
        } else if (arg.isArray()
                && arg.size() == 2
                && arg.get(0).isTextual()
                && arg.get(1).isObject()
                && !isIntrinsic(arg.get(1))) {
            text = arg.get(0);
            arg.get(1)
                    .properties()
                    .iterator()
                    .forEachRemaining(
                            v -> variables.put(v.getKey(), parseScalar(v.getValue(), at + " variable " + v.getKey())));
        } else {
            throw TemplateException.invalidTemplate(at + " takes a string or [string, {name: value}]");
        }
        List<Expr.SubPart> parts = SubParser.parse(text.asText(), at);
        for (Expr.SubPart part : parts) {
            if (part instanceof Expr.SubPart.Variable v
                    && !variables.containsKey(v.name())
                    && !referenceable.contains(v.name())) {
                throw TemplateException.invalidTemplate(at + " refers to unknown variable '${" + v.name() + "}'");
            }
        }
        return new Expr.Sub(parts, Collections.unmodifiableMap(variables));
    }

    private static List<JsonNode> arguments(JsonNode arg, int count, String at, String shape) {
        if (!arg.isArray() || arg.size() != count) {
            throw TemplateException.invalidTemplate(at + " takes " + shape);
        }
        List<JsonNode> args = new ArrayList<>(count);
        arg.forEach(args::add);
        return args;
    }

    /** Select's index: a whole non-negative number, written as a number or a string. */
    static int parseIndex(String text, String at) {
        try {
            int index = Integer.parseInt(text.trim());
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below with the offending text
        }
        throw TemplateException.invalidTemplate(at + ": index must be a non-negative integer, got '" + text + "'");
    }
}
