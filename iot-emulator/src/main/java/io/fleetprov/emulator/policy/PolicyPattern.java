package io.fleetprov.emulator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * One Resource entry (or condition value) compiled once at parse time: literal characters, IAM wildcards and
 * policy-variable references. Variables are substituted per check because they depend on the connection; their
 * values are always literal, so a thing named {@code a*} cannot widen a policy.
 *
 * <p>The compiled form is an int array: non-negative entries are UTF-16 chars, {@link #ANY_SEQUENCE} and
 * {@link #ANY_CHAR} are the wildcards. {@code ?} therefore matches one UTF-16 unit, which differs from one code
 * point only for characters outside the BMP.
 */
final class PolicyPattern {

    static final int ANY_SEQUENCE = -1;
    static final int ANY_CHAR = -2;

    private final String source;
    /** Literal runs (int[]) and variable names (String), in order. */
    private final List<Object> parts;
    /** The whole pattern when it has no variables, so the hot path allocates nothing. */
    private final int[] constant;

    private PolicyPattern(String source, List<Object> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.constant = parts.stream().allMatch(p -> p instanceof int[]) ? concat(parts) : null;
    }

    /**
     * Compiles {@code text}. With {@code wildcards} false, {@code *} and {@code ?} are literal (StringEquals);
     * variables are substituted either way. MQTT's {@code +} and {@code #} are never special in policies.
     */
    static PolicyPattern compile(String text, boolean wildcards) {
        List<Object> parts = new ArrayList<>();
        List<Integer> literal = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new MalformedPolicyException("unterminated policy variable in \"" + text + "\"");
                }
                String name = text.substring(i + 2, end);
                switch (name) {
                    case "*", "?", "$" -> literal.add((int) name.charAt(0));
                    case "" -> throw new MalformedPolicyException("empty policy variable ${} in \"" + text + "\"");
                    default -> {
                        flush(literal, parts);
                        parts.add(name);
                    }
                }
                i = end + 1;
                continue;
            }
            if (wildcards && c == '*') {
                literal.add(ANY_SEQUENCE);
            } else if (wildcards && c == '?') {
                literal.add(ANY_CHAR);
            } else {
                literal.add((int) c);
            }
            i++;
        }
        flush(literal, parts);
        return new PolicyPattern(text, parts);
    }

    /** The pattern with variables substituted, or null when a variable has no value for this connection. */
    int[] resolve(ConnectionContext context) {
        if (constant != null) {
            return constant;
        }
        List<Object> resolved = new ArrayList<>(parts.size());
        for (Object part : parts) {
            if (part instanceof String name) {
                String value = PolicyVariables.resolve(name, context);
                if (value == null) {
                    return null;
                }
                resolved.add(value.chars().toArray());
            } else {
                resolved.add(part);
            }
        }
        return concat(resolved);
    }

    /** Classic single-backtrack glob match: linear in practice, no regex engine and no allocation. */
    static boolean matches(int[] pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length && (pattern[p] == ANY_CHAR || pattern[p] == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == ANY_SEQUENCE) {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == pattern.length;
    }

    @Override
    public String toString() {
        return source;
    }

    private static void flush(List<Integer> literal, List<Object> parts) {
        if (!literal.isEmpty()) {
            parts.add(literal.stream().mapToInt(Integer::intValue).toArray());
            literal.clear();
        }
    }

    private static int[] concat(List<Object> runs) {
        int length = 0;
        for (Object run : runs) {
            length += ((int[]) run).length;
        }
        int[] all = new int[length];
        int at = 0;
        for (Object run : runs) {
            int[] chars = (int[]) run;
            System.arraycopy(chars, 0, all, at, chars.length);
            at += chars.length;
        }
        return all;
    }
}
