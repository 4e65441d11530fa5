package io.fleetprov.emulator.seed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The device template the local demo seeds and the tests provision with, in the shape of the AWS device SDK's
 * FleetProvisioning sample: a thing named after the serial, an active certificate, a policy scoped to the thing's
 * own topics, and a device configuration. Users of it differ only in how they name things.
 */
public final class SampleTemplate {

    private static final String RESOURCE = "device-template.json";
    private static final String THING_NAME_PREFIX = "@THING_NAME_PREFIX@";

    private SampleTemplate() {}

    /** The template body; things are named {@code thingNamePrefix + SerialNumber} ({@code ""}: the serial). */
    public static String deviceTemplate(String thingNamePrefix) {
        try (InputStream in = SampleTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the iot-emulator jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(THING_NAME_PREFIX, thingNamePrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
