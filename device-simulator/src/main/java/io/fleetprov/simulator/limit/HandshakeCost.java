package io.fleetprov.simulator.limit;

import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.PemCodec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * t4 of the machine limit: the CPU of one full mutual-TLS handshake (TLS 1.3, certificates of the emulator's
 * kind: a P-256 or RSA-2048 leaf signed by a CA of the same kind), client and server together.
 * <ul>
 * <li>{@link #openSslSTime}: as the issue defines it, {@code openssl s_time -new} against a local
 * {@code openssl s_server -Verify 1}; the client's CPU is what s_time reports (user seconds), the server's is
 * read from its process. Loopback only.</li>
 * <li>{@link #inProcess}: a client and a server engine of one provider (OpenSSL = netty-tcnative's BoringSSL, or
 * the JDK's) handshaking through memory on one thread, timed as that thread's CPU: what the simulator and broker
 * themselves pay, minus the sockets.</li>
 * </ul>
 */
public final class HandshakeCost {

    /** @param method how it was measured, for the report */
    public record Result(double millisPerHandshake, long handshakes, String method) {}

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

    /** Handshakes a fresh client and server engine pair in memory {@code n} times (after as many warm-ups). */
    public static Result inProcess(SslProvider provider, DeviceKeyType keyType, int n) {
        MachineLimit.Authority ca = new MachineLimit.Authority(keyType);
        KeyPair serverKey = keyType.generate();
        KeyPair clientKey = keyType.generate();
        X509Certificate serverCert = ca.issue(serverKey.getPublic(), "localhost", 2);
        X509Certificate clientCert = ca.issue(clientKey.getPublic(), "device", 3);
        try {
            SslContext server = SslContextBuilder.forServer(serverKey.getPrivate(), serverCert, ca.certificate)
                    .sslProvider(provider)
                    .protocols("TLSv1.3")
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(ca.certificate)
                    .build();
            SslContext client = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .protocols("TLSv1.3")
                    .keyManager(clientKey.getPrivate(), clientCert, ca.certificate)
                    .trustManager(ca.certificate)
                    .build();
            double millis = MachineLimit.cpuMillisPer(n, () -> handshake(client, server));
            return new Result(
                    millis,
                    n,
                    "in-process " + (provider == SslProvider.JDK ? "JDK" : "OpenSSL (BoringSSL)")
                            + " engine pair, one thread's CPU");
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS contexts", e);
        }
    }

    private static void handshake(SslContext clientContext, SslContext serverContext) {
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "localhost", 8883);
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        try {
            handshake(client, server);
        } catch (SSLException e) {
            throw new IllegalStateException("handshake failed", e);
        } finally {
            io.netty.util.ReferenceCountUtil.release(client);
            io.netty.util.ReferenceCountUtil.release(server);
        }
    }

    /**
     * Runs a TLS handshake between two engines through memory, on this thread, to its end; throws when either side
     * refuses or it does not finish. The engines stay the caller's to release.
     */
    public static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(
                client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(size * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50 && !(done(client) && done(server)); round++) {
            step(client, empty, toServer, toClient, sink);
            step(server, empty, toClient, toServer, sink);
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
            Files.writeString(files.ca, pem(ca.certificate));
            Files.writeString(files.serverCert, pem(ca.issue(serverKey.getPublic(), "localhost", 2)));
            Files.writeString(files.clientCert, pem(ca.issue(clientKey.getPublic(), "device", 3)));
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

        private static String pem(X509Certificate certificate) {
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
