package io.fleetprov.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Topic names of the fleet-provisioning MQTT API, exactly as AWS IoT Core uses them. A request is published on
 * the request topic; the answer arrives on the same topic with {@code /accepted} or {@code /rejected} appended.
 */
public final class FleetTopics {

    public static final String ACCEPTED = "/accepted";
    public static final String REJECTED = "/rejected";

    private static final Pattern TEMPLATE_NAME = Pattern.compile("[0-9A-Za-z_-]{1,36}");
    private static final Pattern REQUEST = Pattern.compile(
            "\\$aws/(?:certificates/(create|create-from-csr)|provisioning-templates/([^/]+)/provision)/([^/]+)");

    private FleetTopics() {}

    public static String createKeysAndCertificate(PayloadFormat format) {
        return "$aws/certificates/create/" + format.topicLevel();
    }

    public static String createCertificateFromCsr(PayloadFormat format) {
        return "$aws/certificates/create-from-csr/" + format.topicLevel();
    }

    public static String registerThing(String templateName, PayloadFormat format) {
        if (!isValidTemplateName(templateName)) {
            throw new IllegalArgumentException("invalid template name: " + templateName);
        }
        return "$aws/provisioning-templates/" + templateName + "/provision/" + format.topicLevel();
    }

    public static String request(FleetOperation operation, String templateName, PayloadFormat format) {
        return switch (operation) {
            case CREATE_KEYS_AND_CERTIFICATE -> createKeysAndCertificate(format);
            case CREATE_CERTIFICATE_FROM_CSR -> createCertificateFromCsr(format);
            case REGISTER_THING -> registerThing(templateName, format);
        };
    }

    public static String accepted(String requestTopic) {
        return requestTopic + ACCEPTED;
    }

    public static String rejected(String requestTopic) {
        return requestTopic + REJECTED;
    }

    public static boolean isValidTemplateName(String templateName) {
        return templateName != null && TEMPLATE_NAME.matcher(templateName).matches();
    }

    /**
     * Recognises a request topic. Reply topics ({@code .../accepted}, {@code .../rejected}) and anything else
     * give an empty result.
     */
    public static Optional<RequestTopic> parseRequest(String topic) {
        Matcher m = REQUEST.matcher(Objects.requireNonNull(topic));
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<PayloadFormat> format = PayloadFormat.fromTopicLevel(m.group(3));
        if (format.isEmpty()) {
            return Optional.empty();
        }
        if (m.group(2) != null) {
            return Optional.of(new RequestTopic(FleetOperation.REGISTER_THING, m.group(2), format.get(), topic));
        }
        FleetOperation op = m.group(1).equals("create")
                ? FleetOperation.CREATE_KEYS_AND_CERTIFICATE
                : FleetOperation.CREATE_CERTIFICATE_FROM_CSR;
        return Optional.of(new RequestTopic(op, null, format.get(), topic));
    }

    /** A parsed request topic; {@code templateName} is set for RegisterThing only. */
    public record RequestTopic(FleetOperation operation, String templateName, PayloadFormat format, String topic) {

        public String acceptedTopic() {
            return accepted(topic);
        }

        public String rejectedTopic() {
            return rejected(topic);
        }
    }
}
