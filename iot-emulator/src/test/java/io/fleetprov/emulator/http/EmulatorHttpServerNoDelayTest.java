package io.fleetprov.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulator's HTTP server sends with TCP_NODELAY: the JDK's HttpServer reads {@code sun.net.httpserver.nodelay}
 * once, when its first server in the JVM is created. Checked in a JVM of its own, since another test of this JVM may
 * have created an HttpServer first; and through the JDK's internal flag, so a JDK that renames or drops the property
 * fails here rather than bringing back 40 ms per call unnoticed.
 */
class EmulatorHttpServerNoDelayTest {

    @Test
    void theJdksServerIsToldToSendWithoutDelay() throws Exception {
        Process probe = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-opens",
                        "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("noDelay=true");
    }

    /** Binds the emulator's server, then asks the JDK's server configuration what it read. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            try (EmulatorHttpServer server = EmulatorHttpServer.bind("127.0.0.1", 0)) {
                Method noDelay =
                        Class.forName("sun.net.httpserver.ServerConfig").getDeclaredMethod("noDelay");
                noDelay.setAccessible(true);
                System.out.println("noDelay=" + noDelay.invoke(null));
            }
        }
    }
}
