package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A template value compiled once, with its intrinsic functions checked, so that evaluation only has
 * to look values up. Evaluated by {@link ExprEvaluator}.
 */
sealed interface Expr {

    /** A JSON scalar written in the template (string, number, boolean or null). */
    record Literal(JsonNode value) implements Expr {}

    /** A JSON array whose elements may be intrinsics. */
    record ListOf(List<Expr> elements) implements Expr {
        public ListOf {
            elements = List.copyOf(elements);
        }
    }

    /** A JSON object that is not an intrinsic call, e.g. a PolicyDocument; key order is kept. */
    record ObjectOf(Map<String, Expr> fields) implements Expr {}

    record Ref(String name) implements Expr {}

    record Join(Expr delimiter, Expr values) implements Expr {}

    record Select(Expr index, Expr values) implements Expr {}

    record FindInMap(Expr mapName, Expr topKey, Expr secondKey) implements Expr {}

    record Split(Expr delimiter, Expr source) implements Expr {}

    /** Fn::Sub, already cut into literal text and ${Name} references. */
    record Sub(List<SubPart> parts, Map<String, Expr> variables) implements Expr {
        public Sub {
            parts = List.copyOf(parts);
        }
    }

    sealed interface SubPart {
        record Text(String text) implements SubPart {}

        record Variable(String name) implements SubPart {}
    }
}
