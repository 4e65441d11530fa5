package io.fleetprov.simulator.limit;

import io.fleetprov.simulator.client.DeviceCredentials;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.PemCodec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * t4 of the machine limit: the CPU of one full mutual-TLS handshake, client and server together.
 * <ul>
 * <li>{@link #asTheSystemDoesIt}, t4 itself: the handshake as the simulator and the emulator's broker perform it,
 * in process, the two engines talking through memory on one thread. The client engine comes from the simulator's own
 * code ({@link MqttTarget#deviceEngines}: on OpenSSL the target's shared BoringSSL context with the device's key,
 * no session cache, host-name check on, the server chain judged by the simulator's remembered JDK check); the server
 * engine is the broker's TLS context rebuilt (BoringSSL when netty-tcnative loads, TLS 1.3 and 1.2, client
 * certificate required, ALPN {@code x-amzn-mqtt-ca} offered) with the broker's client check replicated in
 * {@link BrokerClientTrust}. Certificates of the emulator's kind: a P-256 server leaf for localhost, 127.0.0.1 and
 * ::1, device leaves of the device key type, both signed by a CA of that type, with the emulator's extensions. Each
 * side's thread CPU (engine creation, its handshake steps, its callbacks, release) is added up separately.</li>
 * <li>{@link #openSslSTime}, a comparison only (t4 until issue 14): {@code openssl s_time -new} against a local
 * {@code openssl s_server -Verify 1}: two processes over loopback, the client's CPU as s_time reports it (user
 * seconds), the server's read from its process.</li>
 * </ul>
 */
public final class HandshakeCost {

    /**
     * @param method   how it was measured, for the report
     * @param clientMs the client's share of {@code millisPerHandshake}, NaN when not measured apart
     * @param serverMs the server's share, NaN when not measured apart
     * @param processMs this JVM's CPU per handshake over the timed handshakes, every thread (GC, JIT) included: a
     *                  check that no work escaped the two sides' thread CPU; NaN when not measured
     */
    public record Result(
            double millisPerHandshake,
            long handshakes,
            String method,
            double clientMs,
            double serverMs,
            double processMs) {

        public Result(double millisPerHandshake, long handshakes, String method) {
            this(millisPerHandshake, handshakes, method, Double.NaN, Double.NaN, Double.NaN);
        }

        public boolean hasSides() {
            return !Double.isNaN(clientMs) && !Double.isNaN(serverMs);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Distinct devices the measured handshakes take turns with: each real handshake presents another certificate. */
    private static final int DEVICES = 16;

    /** AWS IoT's ALPN protocol for MQTT over mutual TLS, which the broker selects when offered. */
    private static final String AWS_MQTT_ALPN = "x-amzn-mqtt-ca";

    private static final Pattern S_TIME = Pattern.compile("(\\d+) connections in ([0-9.]+)s;");

    private HandshakeCost() {}

    /** Null when the {@code openssl} command is not there or fails; the caller then falls back to in-process. */
    public static Result openSslSTime(DeviceKeyType keyType, Duration duration) {
        Path dir = null;
        Process server = null;
        try {
            dir = Files.createTempDirectory("fleetprov-s_time");
            Credentials files = Credentials.write(dir, keyType);
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            server = new ProcessBuilder(
                            "openssl",
                            "s_server",
                            "-accept",
                            "127.0.0.1:" + port,
                            "-quiet",
                            "-cert",
                            files.serverCert.toString(),
                            "-key",
                            files.serverKey.toString(),
                            "-CAfile",
                            files.ca.toString(),
                            "-Verify",
                            "1")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s_server.log").toFile())
                    .start();
            waitForPort(port, server);
            Duration serverBefore = cpu(server);
            Process client = new ProcessBuilder(
                            "openssl",
                            "s_time",
                            "-connect",
                            "127.0.0.1:" + port,
                            "-new",
                            "-time",
                            Long.toString(Math.max(1, duration.toSeconds())),
                            "-cert",
                            files.clientCert.toString(),
                            "-key",
                            files.clientKey.toString(),
                            "-CAfile",
                            files.ca.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || client.exitValue() != 0) {
                return null;
            }
            Duration serverCpu = cpu(server).minus(serverBefore);
            Matcher m = S_TIME.matcher(output);
            if (!m.find()) {
                return null;
            }
            long connections = Long.parseLong(m.group(1));
            double clientSeconds = Double.parseDouble(m.group(2));
            if (connections == 0) {
                return null;
            }
            double millis = (clientSeconds * 1000 + serverCpu.toNanos() / 1e6) / connections;
            return new Result(
                    millis,
                    connections,
                    "openssl s_time -new vs s_server -Verify 1 (" + opensslVersion()
                            + "; client user CPU from s_time, server CPU from its process)");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (server != null) {
                server.destroy();
            }
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    /**
     * t4: {@code n} handshakes as the system performs them (see the class comment), after {@code n} to warm the JIT
     * up, each between a fresh client engine of one of {@value #DEVICES} registered devices and a fresh server engine.
     *
     * @param clientOpenSsl whether devices use OpenSSL (the simulator's {@code --tls}); the server side uses
     *                      BoringSSL whenever netty-tcnative loads, as the emulator's broker does by default
     */
    public static Result asTheSystemDoesIt(DeviceKeyType keyType, boolean clientOpenSsl, int n) {
        SystemPair pair = new SystemPair(keyType, clientOpenSsl);
        List<Supplier<SSLEngine>> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(pair.clientEngines(pair.device("sim-limit-" + i, true)));
        }
        String protocol = null;
        for (int i = 0; i < n; i++) {
            protocol = timedHandshake(devices.get(i % DEVICES), pair, new long[2]);
        }
        long[] cpu = new long[2];
        long processBefore = processCpuNanos();
        for (int i = 0; i < n; i++) {
            timedHandshake(devices.get(i % DEVICES), pair, cpu);
        }
        double processMs = (processCpuNanos() - processBefore) / 1e6 / n;
        double clientMs = cpu[0] / 1e6 / n;
        double serverMs = cpu[1] / 1e6 / n;
        return new Result(
                clientMs + serverMs,
                n,
                "in-process handshake as the system performs it (" + protocol + ", " + keyType
                        + " device certificate): simulator client on " + pair.clientEngine()
                        + " (shared context, no session cache), broker server on " + pair.serverEngine()
                        + " with the registry check; each side's thread CPU, summed",
                clientMs,
                serverMs,
                processMs);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    /** One handshake, each side's thread CPU added to {@code cpu[0]} (client) and {@code cpu[1]} (server). */
    private static String timedHandshake(Supplier<SSLEngine> device, SystemPair pair, long[] cpu) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        SSLEngine client = device.get();
        long t1 = THREADS.getCurrentThreadCpuTime();
        SSLEngine server = pair.newServerEngine();
        long t2 = THREADS.getCurrentThreadCpuTime();
        cpu[0] += t1 - t0;
        cpu[1] += t2 - t1;
        try {
            handshake(client, server, cpu);
            return client.getSession().getProtocol();
        } catch (SSLException e) {
            throw new IllegalStateException("handshake failed", e);
        } finally {
            long t3 = THREADS.getCurrentThreadCpuTime();
            ReferenceCountUtil.release(client);
            long t4 = THREADS.getCurrentThreadCpuTime();
            ReferenceCountUtil.release(server);
            long t5 = THREADS.getCurrentThreadCpuTime();
            cpu[0] += t4 - t3;
            cpu[1] += t5 - t4;
        }
    }

    /**
     * The two ends of the system's device handshake: the broker's server context with its client check, and the
     * simulator's target (its client contexts and server check), over certificates of one throw-away CA.
     */
    static final class SystemPair {
        private final DeviceKeyType keyType;
        private final MachineLimit.Authority ca;
        private final BrokerClientTrust registry;
        private final SslProvider serverProvider;
        private final SslContext server;
        private final MqttTarget target;
        private final AtomicLong serials = new AtomicLong(10);

        SystemPair(DeviceKeyType keyType, boolean clientOpenSsl) {
            this.keyType = keyType;
            this.ca = new MachineLimit.Authority(keyType);
            this.registry = new BrokerClientTrust(ca.certificate, Clock.systemUTC());
            // The broker's certificate is P-256 whatever the CA's key (CertificateAuthority.issueServerCertificate).
            KeyPair serverKey = DeviceKeyType.EC_P256.generate();
            X509Certificate serverCert = ca.issueLeaf(
                    serverKey.getPublic(),
                    "fleetprov emulator",
                    serials.incrementAndGet(),
                    KeyPurposeId.id_kp_serverAuth,
                    List.of("localhost", "127.0.0.1", "::1"));
            // The broker's default (MqttBroker.tlsProvider): BoringSSL when it loads.
            this.serverProvider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            try {
                // As MqttBroker.serverContext builds it.
                this.server = SslContextBuilder.forServer(serverKey.getPrivate(), serverCert, ca.certificate)
                        .sslProvider(serverProvider)
                        .protocols("TLSv1.3", "TLSv1.2")
                        .clientAuth(ClientAuth.REQUIRE)
                        .trustManager(registry)
                        .applicationProtocolConfig(new ApplicationProtocolConfig(
                                ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                AWS_MQTT_ALPN))
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the broker's TLS context", e);
            }
            this.target = new MqttTarget("localhost", 8883, pem(ca.certificate), clientOpenSsl);
        }

        /** A device identity signed by the CA; registered ACTIVE as the emulator registers what it issues, or not. */
        DeviceCredentials device(String commonName, boolean registered) {
            KeyPair key = keyType.generate();
            X509Certificate certificate = ca.issueLeaf(
                    key.getPublic(), commonName, serials.incrementAndGet(), KeyPurposeId.id_kp_clientAuth, List.of());
            if (registered) {
                registry.registerIssued(certificate);
            }
            return credentials(certificate, key);
        }

        /** A device identity of another CA (same names), never registered. */
        DeviceCredentials foreignDevice(String commonName) {
            MachineLimit.Authority other = new MachineLimit.Authority(keyType);
            KeyPair key = keyType.generate();
            X509Certificate certificate = other.issueLeaf(
                    key.getPublic(), commonName, serials.incrementAndGet(), KeyPurposeId.id_kp_clientAuth, List.of());
            return credentials(certificate, key);
        }

        private static DeviceCredentials credentials(X509Certificate certificate, KeyPair key) {
            try {
                return new DeviceCredentials(
                        BrokerClientTrust.certificateId(certificate),
                        pem(certificate),
                        PemCodec.pkcs8(key.getPrivate()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        Supplier<SSLEngine> clientEngines(DeviceCredentials device) {
            return target.deviceEngines(device);
        }

        SSLEngine newServerEngine() {
            return server.newEngine(ByteBufAllocator.DEFAULT);
        }

        String clientEngine() {
            return target.openSsl() ? OpenSsl.versionString() : "the JDK's TLS";
        }

        String serverEngine() {
            return serverProvider == SslProvider.OPENSSL ? OpenSsl.versionString() : "the JDK's TLS";
        }
    }

    /**
     * Runs a TLS handshake between two engines through memory, on this thread, to its end; throws when either side
     * refuses or it does not finish. The engines stay the caller's to release.
     */
    public static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        handshake(client, server, null);
    }

    /** As {@link #handshake(SSLEngine, SSLEngine)}, adding each side's thread CPU to {@code cpu} when given. */
    private static void handshake(SSLEngine client, SSLEngine server, long[] cpu) throws SSLException {
        int size = Math.max(
                client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(size * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50 && !(done(client) && done(server)); round++) {
            long t0 = cpu == null ? 0 : THREADS.getCurrentThreadCpuTime();
            step(client, empty, toServer, toClient, sink);
            long t1 = cpu == null ? 0 : THREADS.getCurrentThreadCpuTime();
            step(server, empty, toClient, toServer, sink);
            if (cpu != null) {
                long t2 = THREADS.getCurrentThreadCpuTime();
                cpu[0] += t1 - t0;
                cpu[1] += t2 - t1;
            }
        }
        if (!(done(client) && done(server))) {
            throw new SSLException("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                    + server.getHandshakeStatus());
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** One engine's turn: consume what the peer sent, run delegated tasks, send what it has. */
    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws SSLException {
        in.flip();
        while (in.hasRemaining()) {
            sink.clear();
            var result = engine.unwrap(in, sink);
            runTasks(engine);
            if (result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        for (int i = 0; i < 8; i++) {
            var result = engine.wrap(empty, out);
            runTasks(engine);
            if (result.bytesProduced() == 0) {
                break;
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static Duration cpu(Process process) {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static void waitForPort(int port, Process server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("openssl s_server exited with " + server.exitValue());
            }
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("openssl s_server did not listen on " + port);
    }

    private static String opensslVersion() {
        try {
            Process p = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return version;
        } catch (IOException | InterruptedException e) {
            return "openssl";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind holds only throw-away test keys
        }
    }

    static String pem(X509Certificate certificate) {
        return Credentials.pemOf(certificate);
    }

    /** Throw-away CA, server and client certificates and keys as PEM files for the openssl commands. */
    private record Credentials(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

        static Credentials write(Path dir, DeviceKeyType keyType) throws IOException {
            MachineLimit.Authority ca = new MachineLimit.Authority(keyType);
            KeyPair serverKey = keyType.generate();
            KeyPair clientKey = keyType.generate();
            Credentials files = new Credentials(
                    dir.resolve("ca.pem"),
                    dir.resolve("server.pem"),
                    dir.resolve("server.key"),
                    dir.resolve("client.pem"),
                    dir.resolve("client.key"));
            Files.writeString(files.ca, pemOf(ca.certificate));
            Files.writeString(files.serverCert, pemOf(ca.issue(serverKey.getPublic(), "localhost", 2)));
            Files.writeString(files.clientCert, pemOf(ca.issue(clientKey.getPublic(), "device", 3)));
            for (var key :
                    List.of(new Object[] {files.serverKey, serverKey}, new Object[] {files.clientKey, clientKey})) {
                Path file = (Path) key[0];
                Files.createFile(
                        file,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, PemCodec.pkcs8(((KeyPair) key[1]).getPrivate()));
            }
            return files;
        }

        private static String pemOf(X509Certificate certificate) {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
