package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.client.MqttVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 3} and {@code 5} (also {@code 3.1.1}, {@code 5.0}), as the option is documented. */
public final class MqttVersionConverter implements ITypeConverter<MqttVersion> {

    @Override
    public MqttVersion convert(String value) {
        try {
            return MqttVersion.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
