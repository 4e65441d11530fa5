package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.Map;

/** The template's Mappings section: {@code {MapName: {TopKey: {SecondKey: value}}}}, read by Fn::FindInMap. */
final class Mappings {

    private final JsonNode root;

    private Mappings(JsonNode root) {
        this.root = root;
    }

    static Mappings empty() {
        return new Mappings(JsonNodeFactory.instance.objectNode());
    }

    /**
     * Checks the two-level shape. Values are scalars or lists of scalars; any object at value level
     * is refused, which is also how intrinsics are kept out (AWS does not allow them here).
     */
    static Mappings parse(JsonNode section) {
        if (!section.isObject()) {
            throw TemplateException.invalidTemplate("Mappings must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> maps = section.properties().iterator(); maps.hasNext(); ) {
            Map.Entry<String, JsonNode> map = maps.next();
            String mapWhere = "Mappings." + map.getKey();
            if (!map.getValue().isObject()) {
                throw TemplateException.invalidTemplate(mapWhere + " must be a JSON object of top-level keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> tops =
                            map.getValue().properties().iterator();
                    tops.hasNext(); ) {
                Map.Entry<String, JsonNode> top = tops.next();
                String topWhere = mapWhere + "." + top.getKey();
                if (!top.getValue().isObject()) {
                    throw TemplateException.invalidTemplate(topWhere + " must be a JSON object of second-level keys");
                }
                for (Iterator<Map.Entry<String, JsonNode>> seconds =
                                top.getValue().properties().iterator();
                        seconds.hasNext(); ) {
                    Map.Entry<String, JsonNode> second = seconds.next();
                    checkValue(second.getValue(), topWhere + "." + second.getKey());
                }
            }
        }
        return new Mappings(section.deepCopy());
    }

    private static void checkValue(JsonNode value, String where) {
        if (value.isObject() && ExprParser.isIntrinsic(value)) {
            throw TemplateException.invalidTemplate(where + ": intrinsic functions are not allowed in Mappings");
        }
        boolean scalar = value.isValueNode() && !value.isNull();
        boolean listOfScalars = value.isArray();
        if (listOfScalars) {
            for (JsonNode element : value) {
                listOfScalars &= element.isValueNode() && !element.isNull();
            }
        }
        if (!scalar && !listOfScalars) {
            throw TemplateException.invalidTemplate(
                    where + ": a mapping value must be a string, number, boolean or a list of them");
        }
    }

    boolean hasMap(String mapName) {
        return root.has(mapName);
    }

    JsonNode lookup(String mapName, String topKey, String secondKey, String where) {
        JsonNode map = root.get(mapName);
        if (map == null) {
            throw TemplateException.invalidTemplate(
                    where + ": Fn::FindInMap refers to unknown mapping '" + mapName + "'");
        }
        JsonNode top = map.get(topKey);
        if (top == null) {
            throw TemplateException.invalidTemplate(
                    where + ": Fn::FindInMap: mapping '" + mapName + "' has no key '" + topKey + "'");
        }
        JsonNode value = top.get(secondKey);
        if (value == null) {
            throw TemplateException.invalidTemplate(where + ": Fn::FindInMap: mapping '" + mapName + "' key '" + topKey
                    + "' has no key '" + secondKey + "'");
        }
        return value;
    }
}
