package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 (JCS) written straight from a Jackson tree, for the trees the chain hashes: objects, arrays, strings,
 * booleans, nulls and integers. It writes exactly the bytes the reference canonicalizer ({@code JsonCanonicalizer})
 * writes for them — keys sorted by UTF-16 code units, strings escaped as ECMAScript's {@code JSON.stringify} does,
 * integers as decimal digits — without printing the tree as JSON and parsing it again, which was most of the cost of
 * hashing a link. A tree holding anything else (a fraction, an integer beyond 2^53, which JCS rounds as a double) is
 * left to the reference canonicalizer: {@link #write} says so by returning false.
 */
final class CanonicalJson {

    /** Integers up to this magnitude are exact as an IEEE double, so JCS writes them as their digits. */
    static final long EXACT = 1L << 53;

    private CanonicalJson() {}

    /** Appends the canonical form of {@code node}; false (and {@code out} in an unspecified state) if it cannot. */
    static boolean write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                Iterator<String> it = node.fieldNames();
                while (it.hasNext()) {
                    names.add(it.next());
                }
                // String's natural order compares UTF-16 code units, which is JCS's order (RFC 8785, 3.2.3).
                names.sort(null);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    if (!write(node.get(names.get(i)), out)) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!write(node.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                string(node.textValue(), out);
                return true;
            }
            case BOOLEAN -> {
                out.append(node.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            case NUMBER -> {
                if (!(node.isInt() || node.isLong() || node.isShort())) {
                    return false;
                }
                long value = node.longValue();
                if (value > EXACT || value < -EXACT) {
                    return false;
                }
                out.append(value);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Appends the canonical form of {@code node} with one more member, {@code hole}, whose value is left out: returns
     * the offset in {@code out} where that value goes, or -1 (and {@code out} in an unspecified state) if it cannot.
     * The chain's hash writes a link's content this way once, off its single writer, and only the sequence number,
     * known last, is put in the hole. If {@code span} is given, the start and end offsets of member {@code spanned}'s
     * value are put in it.
     */
    static int writeWithHole(ObjectNode node, String hole, StringBuilder out, String spanned, int[] span) {
        List<String> names = new ArrayList<>(node.size() + 1);
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            names.add(it.next());
        }
        if (node.has(hole)) {
            throw new IllegalArgumentException("the hole " + hole + " is already a member");
        }
        names.add(hole);
        names.sort(null);
        int at = -1;
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String name = names.get(i);
            string(name, out);
            out.append(':');
            if (name.equals(hole)) {
                at = out.length();
                continue;
            }
            int start = out.length();
            if (!write(node.get(name), out)) {
                return -1;
            }
            if (name.equals(spanned)) {
                span[0] = start;
                span[1] = out.length();
            }
        }
        out.append('}');
        return at;
    }

    /** A JSON string as JCS writes it: quote and backslash escaped, control characters as short or \\u escapes. */
    static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
