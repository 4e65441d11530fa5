package io.fleetprov.protocol.event;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * W3C Trace Context ids as the envelope's {@code traceId} and the {@code traceparent} header carry them: a trace id
 * is 32 lowercase hex digits, a span id 16, neither all zeros. One device's provisioning is one trace, so the id
 * issued at the installer's claim request is the id every later event of that claim carries.
 */
public final class TraceIds {

    /** The W3C request header that carries the caller's trace context. */
    public static final String TRACEPARENT = "traceparent";

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern HEADER =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceIds() {}

    /** True for a valid W3C trace id (the only form the envelope's {@code traceId} takes). */
    public static boolean isTraceId(String value) {
        return value != null && TRACE_ID.matcher(value).matches() && !value.equals(INVALID_TRACE_ID);
    }

    /** True for a valid W3C span id. */
    public static boolean isSpanId(String value) {
        return value != null && SPAN_ID.matcher(value).matches() && !value.equals(INVALID_SPAN_ID);
    }

    /**
     * The trace id of a {@code traceparent} header, when the header is one W3C Trace Context accepts: version
     * {@code ff} is refused, and a future version may append fields after the four of version 00.
     */
    public static Optional<String> traceIdOf(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        var m = HEADER.matcher(traceparent.strip());
        if (!m.matches() || m.group(1).equals("ff") || (m.group(1).equals("00") && m.group(5) != null)) {
            return Optional.empty();
        }
        return isTraceId(m.group(2)) && isSpanId(m.group(3)) ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** A fresh random trace id. */
    public static String newTraceId() {
        return random(16);
    }

    /** A fresh random span id. */
    public static String newSpanId() {
        return random(8);
    }

    /** A version-00, sampled {@code traceparent} for a new root of trace {@code traceId}. */
    public static String traceparent(String traceId, String spanId) {
        if (!isTraceId(traceId) || !isSpanId(spanId)) {
            throw new IllegalArgumentException("not a W3C trace id and span id: " + traceId + ", " + spanId);
        }
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String random(int bytes) {
        byte[] id = new byte[bytes];
        do {
            RANDOM.nextBytes(id);
        } while (allZero(id));
        return HexFormat.of().formatHex(id);
    }

    private static boolean allZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
