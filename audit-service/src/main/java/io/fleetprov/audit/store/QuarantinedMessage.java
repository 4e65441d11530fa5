package io.fleetprov.audit.store;

import java.time.Instant;

/**
 * A message that could not be read, with why. Its text columns are bounded and cleaned here, so that storing the
 * quarantine row itself can never fail for the same reason the message was refused (a U+0000 or an unpaired
 * surrogate in the topic, a reason quoting a huge value); the payload is kept byte for byte.
 */
public record QuarantinedMessage(String topic, byte[] payload, String reason, Instant receivedAt) {

    static final int MAX_TOPIC = 1024;
    static final int MAX_REASON = 1000;

    public QuarantinedMessage {
        topic = storable(topic, MAX_TOPIC);
        reason = storable(reason, MAX_REASON);
        payload = payload == null ? new byte[0] : payload;
    }

    private static String storable(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                out.append('\uFFFD');
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        if (out.length() < text.length()) {
            out.append('…');
        }
        return out.toString();
    }
}
