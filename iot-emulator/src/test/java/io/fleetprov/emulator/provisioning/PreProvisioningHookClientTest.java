package io.fleetprov.emulator.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.provisioning.PreProvisioningHookClient.HookFailure;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the emulator makes of a hook's answer, from a real HTTP server on the loopback. */
class PreProvisioningHookClientTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final byte[] ALLOW =
            "{\"allowProvisioning\":true,\"parameterOverrides\":{\"Site\":\"b\"}}".getBytes(StandardCharsets.UTF_8);

    private final PreProvisioningHookClient client =
            new PreProvisioningHookClient(Map.of("X-Hook-Secret", "s3cret"), new HookUrlScope(List.of()));
    private final List<String> secretsSeen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/allow", exchange -> answer(exchange, 200, ALLOW));
        server.createContext("/refuse", exchange -> answer(exchange, 500, "{\"message\":\"boom\"}".getBytes()));
        server.createContext("/malformed", exchange -> answer(exchange, 200, "{\"allowProvisioning\":".getBytes()));
        server.createContext(
                "/huge",
                exchange -> answer(exchange, 200, new byte[PreProvisioningHookClient.MAX_ANSWER_BYTES + 1024]));
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/allow");
            answer(exchange, 307, new byte[0]);
        });
        // Headers at once, then one byte of the answer every 200 ms: each byte is in time, the answer is not.
        server.createContext("/drip", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, ALLOW.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte b : ALLOW) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException e) {
                // The client hung up at its deadline.
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anAnswerInTimeIsDecodedAndTheHeadersAreSent() throws Exception {
        var answer = client.invoke(url("/allow"), request(), TIMEOUT);

        assertThat(answer.allowed()).isTrue();
        assertThat(answer.parameterOverrides()).containsExactly(Map.entry("Site", "b"));
        assertThat(secretsSeen).containsExactly("s3cret");
    }

    @Test
    void anAnswerTrickledPastTheDeadlineIsATimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.invoke(url("/drip"), request(), TIMEOUT))
                .isInstanceOf(HookFailure.class)
                .hasMessage("pre-provisioning hook did not answer within 500 ms");
        // The whole answer would take 12 s: the deadline is the whole answer's, not each byte's.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailedCallLeavesTheClientUsable() throws Exception {
        assertThatThrownBy(() -> client.invoke(url("/refuse"), request(), TIMEOUT))
                .hasMessage("pre-provisioning hook answered HTTP 500");
        assertThatThrownBy(() -> client.invoke(url("/malformed"), request(), TIMEOUT))
                .hasMessageStartingWith("pre-provisioning hook gave a malformed answer");

        assertThatThrownBy(() -> client.invoke(url("/huge"), request(), TIMEOUT))
                .hasMessage("pre-provisioning hook answered more than 6291456 bytes");

        assertThat(client.invoke(url("/allow"), request(), TIMEOUT).allowed()).isTrue();
    }

    @Test
    void aRedirectIsNotFollowed() {
        // Following it would take the request, and the secret header, wherever the hook points.
        assertThatThrownBy(() -> client.invoke(url("/redirect"), request(), TIMEOUT))
                .hasMessage("pre-provisioning hook answered HTTP 307");
        assertThat(secretsSeen).hasSize(1);
    }

    @Test
    void aHookNobodyListensOnCannotBeReached() {
        String closed = url("/allow");
        server.stop(0);
        assertThatThrownBy(() -> client.invoke(closed, request(), TIMEOUT))
                .isInstanceOf(HookFailure.class)
                .hasMessageStartingWith("pre-provisioning hook could not be reached");
    }

    private void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        secretsSeen.add(exchange.getRequestHeaders().getFirst("X-Hook-Secret"));
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static PreProvisioningHookRequest request() {
        return new PreProvisioningHookRequest(
                "claim", "device", "-----BEGIN CERTIFICATE-----\n", "arn", "client", Map.of("SerialNumber", "1"));
    }
}
