package io.fleetprov.testing;

import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.seed.SampleTemplate;

/**
 * What tests provision with: the emulator's sample device template (a resource of the iot-emulator jar, which the
 * local demo seeds too), a provisioning role and a policy for observers. Suites differ only in how they name
 * things, so that is the one parameter.
 */
public final class TestTemplates {

    public static final String ROLE = "arn:aws:iam::123456789012:role/fleetprov-provisioning";

    /** For clients that are not devices (test observers): anything, anywhere. */
    public static final String ALLOW_ALL_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
            """;

    private TestTemplates() {}

    /** Things are named {@code thingNamePrefix + SerialNumber}; {@code ""} names them after the serial. */
    public static String deviceTemplate(String thingNamePrefix) {
        return SampleTemplate.deviceTemplate(thingNamePrefix);
    }

    /**
     * Creates an enabled template {@code name} of {@link #deviceTemplate} whose pre-provisioning hook is the URL
     * {@code hookUrl} (none when null).
     */
    public static void create(Registry registry, String name, String thingNamePrefix, String hookUrl) {
        registry.templates()
                .create(
                        name,
                        null,
                        deviceTemplate(thingNamePrefix),
                        true,
                        ROLE,
                        hookUrl == null ? null : new ProvisioningTemplate.PreProvisioningHook(hookUrl, "2020-04-01"),
                        null);
    }
}
