package io.fleetprov.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

    /** The pattern the emulator's logging.properties gave SimpleFormatter before. */
    private static final String PATTERN = "%1$tT %4$-7s [%3$s] %5$s%6$s%n";

    @Test
    void writesWhatTheSimpleFormatterPatternWrote() {
        LogRecord record = new LogRecord(Level.INFO, "RegisterThing {0} with template {1}");
        record.setParameters(new Object[] {"serial-1", "bench-template"});
        record.setLoggerName("io.fleetprov.emulator.provisioning.FleetProvisioningService");
        record.setInstant(Instant.parse("2026-12-03T18:25:07.123Z"));

        assertThat(new LineFormatter().format(record)).isEqualTo(simpleFormatter(record, ""));
    }

    @Test
    void appendsTheStackTraceAsSimpleFormatterDid() {
        LogRecord record = new LogRecord(Level.WARNING, "hook failed");
        record.setLoggerName("io.fleetprov.emulator.broker.MqttBroker");
        record.setThrown(new IllegalStateException("boom"));
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            out.println();
            record.getThrown().printStackTrace(out);
        }

        String line = new LineFormatter().format(record);

        assertThat(line).isEqualTo(simpleFormatter(record, trace.toString())).contains("boom");
    }

    private static String simpleFormatter(LogRecord record, String thrown) {
        return String.format(
                PATTERN,
                record.getInstant().atZone(ZoneId.systemDefault()),
                "",
                record.getLoggerName(),
                record.getLevel().getLocalizedName(),
                new LineFormatter().formatMessage(record),
                thrown);
    }
}
