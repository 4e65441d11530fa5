package io.fleetprov.emulator.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The IAM condition operators AWS documents for IoT policies, without their {@code IfExists} suffix and set
 * qualifiers (those are {@link PolicyCondition}'s). Each compares one request value with one policy value whose
 * variables are already substituted.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", false, false),
    STRING_NOT_EQUALS("StringNotEquals", true, false),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, false),
    STRING_LIKE("StringLike", false, true),
    STRING_NOT_LIKE("StringNotLike", true, true),
    NUMERIC_EQUALS("NumericEquals", false, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", true, false),
    NUMERIC_LESS_THAN("NumericLessThan", false, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", false, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", false, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", false, false),
    BOOL("Bool", false, false),
    IP_ADDRESS("IpAddress", false, false),
    NOT_IP_ADDRESS("NotIpAddress", true, false),
    // IAM checks each of an ARN's six components separately, with wildcards, for the Equals and the Like forms alike.
    ARN_EQUALS("ArnEquals", false, true),
    ARN_LIKE("ArnLike", false, true),
    ARN_NOT_EQUALS("ArnNotEquals", true, true),
    ARN_NOT_LIKE("ArnNotLike", true, true),
    NULL("Null", false, false);

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final String operatorName;
    private final boolean negated;
    private final boolean wildcards;

    ConditionOperator(String operatorName, boolean negated, boolean wildcards) {
        this.operatorName = operatorName;
        this.negated = negated;
        this.wildcards = wildcards;
    }

    /** The operator of this name (IAM spells them exactly), or null if the emulator does not evaluate it. */
    static ConditionOperator named(String name) {
        for (ConditionOperator operator : values()) {
            if (operator.operatorName.equals(name)) {
                return operator;
            }
        }
        return null;
    }

    boolean negated() {
        return negated;
    }

    /** Whether {@code *} and {@code ?} in policy values are wildcards. */
    boolean wildcards() {
        return wildcards;
    }

    /** CreatePolicy's checks of literal values: a CIDR that does not parse, or Null with other than true/false. */
    void validate(List<String> values, String label) {
        for (String value : values) {
            if (value.contains("${")) {
                continue;
            }
            if ((this == IP_ADDRESS || this == NOT_IP_ADDRESS) && Cidr.parse(value) == null) {
                throw new MalformedPolicyException(label + ": \"" + value + "\" is not an IP address or CIDR block");
            }
            if (this == NULL && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new MalformedPolicyException(label + ": Null takes true or false, got \"" + value + "\"");
            }
        }
    }

    /** Whether the request value matches the policy value (before negation). */
    boolean matches(int[] policyValue, String actual) {
        return switch (this) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> actual.equals(PolicyCondition.text(policyValue));
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE ->
                actual.equalsIgnoreCase(PolicyCondition.text(policyValue));
            case STRING_LIKE, STRING_NOT_LIKE -> PolicyPattern.matches(policyValue, actual);
            case BOOL -> actual.equalsIgnoreCase(PolicyCondition.text(policyValue));
            case NUMERIC_EQUALS,
                    NUMERIC_NOT_EQUALS,
                    NUMERIC_LESS_THAN,
                    NUMERIC_LESS_THAN_EQUALS,
                    NUMERIC_GREATER_THAN,
                    NUMERIC_GREATER_THAN_EQUALS -> compareNumbers(policyValue, actual);
            case IP_ADDRESS, NOT_IP_ADDRESS -> {
                Cidr cidr = Cidr.parse(PolicyCondition.text(policyValue));
                yield cidr != null && cidr.contains(actual);
            }
            case ARN_EQUALS, ARN_LIKE, ARN_NOT_EQUALS, ARN_NOT_LIKE -> arnMatches(policyValue, actual);
            case NULL -> throw new IllegalStateException("Null is decided on presence, not on values");
        };
    }

    private boolean compareNumbers(int[] policyValue, String actual) {
        BigDecimal wanted = PolicyCondition.number(PolicyCondition.text(policyValue));
        BigDecimal got = PolicyCondition.number(actual);
        if (wanted == null || got == null) {
            return false;
        }
        int c = got.compareTo(wanted);
        return switch (this) {
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS -> c == 0;
            case NUMERIC_LESS_THAN -> c < 0;
            case NUMERIC_LESS_THAN_EQUALS -> c <= 0;
            case NUMERIC_GREATER_THAN -> c > 0;
            case NUMERIC_GREATER_THAN_EQUALS -> c >= 0;
            default -> throw new IllegalStateException(name());
        };
    }

    /** Component by component, so a wildcard in one component cannot swallow a colon. */
    private static boolean arnMatches(int[] policyValue, String actual) {
        List<int[]> wanted = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < policyValue.length && wanted.size() < 5; i++) {
            if (policyValue[i] == ':') {
                wanted.add(Arrays.copyOfRange(policyValue, from, i));
                from = i + 1;
            }
        }
        wanted.add(Arrays.copyOfRange(policyValue, from, policyValue.length));
        String[] got = actual.split(":", 6);
        if (wanted.size() != 6 || got.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!PolicyPattern.matches(wanted.get(i), got[i])) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 or IPv6 address block; a bare address is a block of one. Literal parsing only, never DNS. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            if (text == null) {
                return null;
            }
            int slash = text.indexOf('/');
            byte[] address = address(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                return null;
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    return null;
                }
            }
            return new Cidr(address, prefix);
        }

        boolean contains(String ip) {
            byte[] address = address(ip);
            if (address == null || address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        static byte[] address(String text) {
            var v4 = IPV4.matcher(text.trim());
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return bytes;
            }
            // Only text that can be an IPv6 literal reaches the JDK, so no name is ever looked up.
            if (IPV6.matcher(text.trim()).matches()) {
                try {
                    byte[] bytes = java.net.InetAddress.getByName(
                                    "[" + text.trim().toLowerCase(Locale.ROOT) + "]")
                            .getAddress();
                    return bytes.length == 16 ? bytes : null;
                } catch (java.net.UnknownHostException e) {
                    return null;
                }
            }
            return null;
        }
    }
}
