package io.fleetprov.emulator.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON reader/writer of the template engine; configured once, then only read (thread-safe). */
final class TemplateJson {

    /*
     * Duplicate keys and trailing garbage are refused rather than silently resolved, because either
     * usually means a template was hand-edited wrongly and the last-wins reading would hide it.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TemplateJson() {}

    /** Parses JSON text; {@code what} names the text in the error message. */
    static JsonNode read(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw TemplateException.invalidTemplate(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw TemplateException.invalidTemplate(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree we built ourselves always serialises; anything else is a bug here.
            throw new IllegalStateException("Cannot serialise JSON tree", e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
