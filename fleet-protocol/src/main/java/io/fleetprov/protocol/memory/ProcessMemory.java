package io.fleetprov.protocol.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one process holds in memory while it keeps MQTT connections open: the emulator answers it at {@code GET
 * /_emulator/memory}, the simulator measures itself the same way, and a soak divides the growth between two of them
 * by the connections gained.
 *
 * @param connections   MQTT connections the process held when measured
 * @param heapUsedBytes Java heap in use after asking for full collections (the JVM may take the hint only partly)
 * @param rssBytes      resident set size (VmRSS of {@code /proc/self/status}): heap actually touched, native and
 *                      direct buffers (TLS engines, netty's pools), thread stacks; -1 where there is no {@code /proc}
 */
public record ProcessMemory(int connections, long heapUsedBytes, long rssBytes) {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** This process, after a few full collections. */
    public static ProcessMemory ofThisProcess(int connections) {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new ProcessMemory(connections, used, residentSetBytes());
    }

    /** VmRSS of this process, or -1 where {@code /proc} is not there (macOS, Windows). */
    public static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:     123456 kB"
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Heap grown per connection gained since {@code before}; NaN when no connection was gained. */
    public double heapBytesPerConnectionSince(ProcessMemory before) {
        int gained = connections - before.connections;
        return gained <= 0 ? Double.NaN : (double) (heapUsedBytes - before.heapUsedBytes) / gained;
    }

    /** Resident set grown per connection gained since {@code before}; NaN when unknown or none gained. */
    public double rssBytesPerConnectionSince(ProcessMemory before) {
        int gained = connections - before.connections;
        return gained <= 0 || rssBytes < 0 || before.rssBytes < 0
                ? Double.NaN
                : (double) (rssBytes - before.rssBytes) / gained;
    }
}
