package io.fleetprov.emulator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The standalone emulator's log line, {@code HH:mm:ss LEVEL   [logger] message}, the same text as the
 * {@code SimpleFormatter} pattern it replaces ({@code %1$tT %4$-7s [%3$s] %5$s%6$s%n}). {@code SimpleFormatter}
 * walks the caller's stack for a source it does not print and runs {@code String.format} for every record: with one
 * line per provisioned device that was 2 % of the emulator's CPU per device.
 */
public final class LineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        TIME.formatTo(Instant.ofEpochMilli(record.getMillis()).atZone(zone), line);
        line.append(' ');
        String level = record.getLevel().getLocalizedName();
        line.append(level);
        for (int i = level.length(); i < 7; i++) {
            line.append(' ');
        }
        line.append(" [").append(record.getLoggerName()).append("] ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            line.append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
