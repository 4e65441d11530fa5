package io.fleetprov.simulator.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long amount = (long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000);
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofMillis(amount);
            case 'm' -> Duration.ofMillis(amount * 60);
            case 'h' -> Duration.ofMillis(amount * 3600);
            default -> Duration.ofSeconds(Long.parseLong(v));
        };
    }
}
