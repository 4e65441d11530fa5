package io.fleetprov.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The settings the emulator gives the JDK's HttpServer, each read once, when the JVM's first server is created:
 * TCP_NODELAY ({@code sun.net.httpserver.nodelay}) and the idle keep-alive connections it keeps
 * ({@code sun.net.httpserver.maxIdleConnections}). Checked in JVMs of their own, since another test of this JVM may
 * have created an HttpServer first; through the JDK's internal configuration, so a JDK that renames or drops a
 * property fails here rather than bringing back 40 ms per call or reset connections unnoticed; and by what a client
 * sees.
 */
class EmulatorHttpServerJdkSettingsTest {

    /** More keep-alive connections than the JDK's default keeps idle (200). */
    private static final int CONNECTIONS = 300;

    @Test
    void theJdksServerSendsWithoutDelayAndKeepsALoadTestsIdleConnectionsOpen() throws Exception {
        assertThat(probe()).isEqualTo("noDelay=true maxIdleConnections=4096 answeredOnReuse=" + CONNECTIONS);
    }

    @Test
    void withTheJdksDefaultAClientsIdleConnectionsPast200AreClosedUnderIt() throws Exception {
        // What the emulator's setting prevents, shown with the JDK's default put back: if this stops failing the
        // reuse, the JDK changed and the setting may no longer be needed.
        String output = probe("-D" + EmulatorHttpServer.MAX_IDLE_CONNECTIONS + "=200");
        assertThat(output).startsWith("noDelay=true maxIdleConnections=200 answeredOnReuse=");
        int answered = Integer.parseInt(output.substring(output.lastIndexOf('=') + 1));
        assertThat(answered).isLessThan(CONNECTIONS);
    }

    private static String probe(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(output).isZero();
        return output.strip();
    }

    /**
     * Binds the emulator's server, asks the JDK's server configuration what it read, then opens {@link #CONNECTIONS}
     * keep-alive connections, one request each, and once all are idle, sends a second request on each: how many are
     * answered.
     */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            try (EmulatorHttpServer server = EmulatorHttpServer.bind("127.0.0.1", 0)) {
                Class<?> config = Class.forName("sun.net.httpserver.ServerConfig");
                Method noDelay = config.getDeclaredMethod("noDelay");
                noDelay.setAccessible(true);
                Method maxIdle = config.getDeclaredMethod("getMaxIdleConnections");
                maxIdle.setAccessible(true);
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                    socket.setSoTimeout(5000);
                    sockets.add(socket);
                    exchange(socket);
                }
                // Let the server's dispatcher finish returning each connection to its idle set (or closing it).
                Thread.sleep(500);
                int answered = 0;
                for (Socket socket : sockets) {
                    try (socket) {
                        exchange(socket);
                        answered++;
                    } catch (IOException closedByTheServer) {
                        // counted as not answered
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "noDelay=%s maxIdleConnections=%s answeredOnReuse=%d%n",
                        noDelay.invoke(null),
                        maxIdle.invoke(null),
                        answered);
            }
        }

        /** One keep-alive request and its whole answer (the server answers before it starts: a sized 503). */
        private static void exchange(Socket socket) throws IOException {
            socket.getOutputStream()
                    .write("GET /probe HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before an answer");
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            int at = headers.indexOf("content-length:");
            int length = Integer.parseInt(
                    headers.substring(at + 15, headers.indexOf('\r', at)).strip());
            if (in.readNBytes(length).length != length) {
                throw new IOException("closed inside an answer");
            }
        }
    }
}
