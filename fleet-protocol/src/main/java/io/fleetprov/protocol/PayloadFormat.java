package io.fleetprov.protocol;

import java.util.Optional;

/** The two payload encodings of the fleet-provisioning MQTT API; the last topic level names it. */
public enum PayloadFormat {
    JSON("json"),
    CBOR("cbor");

    private final String topicLevel;

    PayloadFormat(String topicLevel) {
        this.topicLevel = topicLevel;
    }

    public String topicLevel() {
        return topicLevel;
    }

    public static Optional<PayloadFormat> fromTopicLevel(String level) {
        for (PayloadFormat format : values()) {
            if (format.topicLevel.equals(level)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
