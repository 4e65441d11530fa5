package io.fleetprov.simulator.limit;

import io.fleetprov.simulator.client.DeviceCredentials;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * A measurement, not a test (README, "Memory per connected device"): what one idle device connection's TLS client
 * engine holds, BoringSSL's against the JDK's. {@code N} devices of {@link HandshakeCost.SystemPair} (the simulator's
 * engines, the broker's server context) each complete a handshake and one small record each way (as CONNECT and
 * CONNACK), then only the client engines are kept. Heap after full collections and the process's resident set after
 * {@code System.trim_native_heap} are read before and after; run with a fixed, pre-touched heap so that the resident
 * set's growth is memory outside the heap only (the engines' native state, and whatever the JIT and glibc add while
 * the N handshakes run). Also prints both ends' CPU per handshake on this thread. Arguments: {@code N openssl|jdk}.
 */
public final class IdleTlsMemory {

    private static final int WARM_UP = 300;

    private IdleTlsMemory() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        boolean openSsl = args[1].equals("openssl");
        HandshakeCost.SystemPair pair = new HandshakeCost.SystemPair(DeviceKeyType.EC_P256, openSsl);
        List<Supplier<SSLEngine>> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DeviceCredentials device = pair.device("idle-" + i, true);
            devices.add(pair.clientEngines(device));
        }
        for (int i = 0; i < WARM_UP; i++) {
            SSLEngine client = devices.get(i % n).get();
            SSLEngine server = pair.newServerEngine();
            HandshakeCost.handshake(client, server);
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
        long[] before = measure();
        List<SSLEngine> kept = new ArrayList<>();
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            SSLEngine client = devices.get(i).get();
            SSLEngine server = pair.newServerEngine();
            HandshakeCost.handshake(client, server);
            oneRecordEachWay(client, server);
            ReferenceCountUtil.release(server);
            kept.add(client);
        }
        double cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore) / 1e6 / n;
        long[] after = measure();
        System.out.printf(
                "idle TLS client engines (%s), %d connections: heap %.2f KiB, outside the heap (RSS) %.2f KiB per "
                        + "connection; "
                        + "handshake + one record each way %.3f ms CPU (both ends, busy machine: compare within a run)%n",
                pair.clientEngine(),
                kept.size(),
                (after[0] - before[0]) / 1024.0 / n,
                (after[1] - before[1]) / 1024.0 / n,
                cpuMs);
        kept.forEach(ReferenceCountUtil::release);
    }

    private static void oneRecordEachWay(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer net = ByteBuffer.allocate(32 * 1024);
        ByteBuffer app = ByteBuffer.allocate(32 * 1024);
        client.wrap(ByteBuffer.wrap(new byte[60]), net);
        drain(net, server, app);
        server.wrap(ByteBuffer.wrap(new byte[4]), net);
        drain(net, client, app);
    }

    private static void drain(ByteBuffer net, SSLEngine to, ByteBuffer app) throws Exception {
        net.flip();
        while (net.hasRemaining()) {
            SSLEngineResult result = to.unwrap(net, app);
            if (result.bytesConsumed() == 0) {
                break;
            }
        }
        net.clear();
        app.clear();
    }

    /** Heap used after full collections, and the resident set after glibc gave back what it could. */
    private static long[] measure() throws IOException, InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "System.trim_native_heap")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[] {heap, rss};
    }
}
