package io.fleetprov.simulator.load;

import io.fleetprov.protocol.memory.ProcessMemory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory per connected device on both ends of a soak: each process measured before any device connected and again
 * with every device connected (heap after full collections, resident set), the growth divided by the connections
 * gained. The emulator's figures include its registry (each device's thing and certificate) as well as the
 * connection; they are null when the target is not an emulator or the emulator did not answer.
 */
public record SoakMemory(
        ProcessMemory simulatorBefore,
        ProcessMemory simulatorConnected,
        ProcessMemory emulatorBefore,
        ProcessMemory emulatorConnected) {

    public boolean hasEmulator() {
        return emulatorBefore != null && emulatorConnected != null;
    }

    public double simulatorHeapBytesPerDevice() {
        return simulatorConnected.heapBytesPerConnectionSince(simulatorBefore);
    }

    public double simulatorRssBytesPerDevice() {
        return simulatorConnected.rssBytesPerConnectionSince(simulatorBefore);
    }

    public double emulatorHeapBytesPerDevice() {
        return hasEmulator() ? emulatorConnected.heapBytesPerConnectionSince(emulatorBefore) : Double.NaN;
    }

    public double emulatorRssBytesPerDevice() {
        return hasEmulator() ? emulatorConnected.rssBytesPerConnectionSince(emulatorBefore) : Double.NaN;
    }

    /** One line per process, as the soak prints them. */
    public String lines() {
        String simulator = line("simulator", simulatorBefore, simulatorConnected);
        return hasEmulator() ? simulator + "\n" + line("emulator", emulatorBefore, emulatorConnected) : simulator;
    }

    private static String line(String process, ProcessMemory before, ProcessMemory connected) {
        return String.format(
                "memory: %s, %d connected devices: heap %.1f MiB = %.2f KiB per connected device, RSS %.1f MiB = "
                        + "%.2f KiB per connected device",
                process,
                connected.connections() - before.connections(),
                (connected.heapUsedBytes() - before.heapUsedBytes()) / 1048576.0,
                connected.heapBytesPerConnectionSince(before) / 1024,
                (connected.rssBytes() - before.rssBytes()) / 1048576.0,
                connected.rssBytesPerConnectionSince(before) / 1024);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("simulator", process(simulatorBefore, simulatorConnected));
        if (hasEmulator()) {
            m.put("emulator", process(emulatorBefore, emulatorConnected));
        }
        return m;
    }

    private static Map<String, Object> process(ProcessMemory before, ProcessMemory connected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectionsBefore", before.connections());
        m.put("connectionsConnected", connected.connections());
        m.put("heapBeforeMiB", mib(before.heapUsedBytes()));
        m.put("heapConnectedMiB", mib(connected.heapUsedBytes()));
        m.put("heapPerConnectedDeviceKiB", kib(connected.heapBytesPerConnectionSince(before)));
        m.put("rssBeforeMiB", mib(before.rssBytes()));
        m.put("rssConnectedMiB", mib(connected.rssBytes()));
        m.put("rssPerConnectedDeviceKiB", kib(connected.rssBytesPerConnectionSince(before)));
        return m;
    }

    private static double mib(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    /** KiB to two decimals; null (JSON null) when not known. */
    private static Double kib(double bytes) {
        return Double.isNaN(bytes) ? null : Math.round(bytes / 1024 * 100) / 100.0;
    }
}
