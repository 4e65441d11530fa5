package io.fleetprov.emulator.events;

/**
 * Credentials for a fleetprov service (claim-service, audit-service) to connect to the broker and publish or
 * subscribe to {@code $aws/events/#} and {@code fleetprov/events/#}.
 */
public record ServiceIdentity(String name, String certificateId, String certificatePem, String privateKeyPem) {

    /** The policy every service identity gets. */
    public static final String POLICY_NAME = "fleetprov-service-events";

    public static final String POLICY_DOCUMENT = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": ["arn:aws:iot:*:*:topic/$aws/events/*", "arn:aws:iot:*:*:topic/fleetprov/events/*"]},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": ["arn:aws:iot:*:*:topicfilter/$aws/events/*", "arn:aws:iot:*:*:topicfilter/fleetprov/events/*"]}
            ]}""";

    @Override
    public String toString() {
        return "ServiceIdentity[name=" + name + ", certificateId=" + certificateId + "]";
    }
}
