package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.TestTemplates;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --hook-header} scoped by {@code --hook-header-url}: a template whose hook names a foreign URL (one anyone
 * with API access could create) gets the hook call without the secret; the release's own hook still gets it.
 */
class HookHeaderScopeIT {

    private static final String HEADER = "X-Fleetprov-Hook-Secret";
    private static final String SECRET = "hook-secret-0123456789";

    /** The release's claim-service: it checks the secret, as claim-service does. */
    private static HttpServer release;
    /** Someone else's server, on another port: a different origin. */
    private static HttpServer foreign;

    private static final Queue<List<String>> releaseSaw = new ConcurrentLinkedQueue<>();
    private static final Queue<List<String>> foreignSaw = new ConcurrentLinkedQueue<>();
    private static IotEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        release = hookServer(releaseSaw, true);
        foreign = hookServer(foreignSaw, false);
        String releaseHook = base(release) + "/v1/hooks/pre-provisioning";
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .hookHeader(HEADER, SECRET)
                .hookHeaderUrl(base(release) + "/v1/hooks")
                .build());
        template("release", releaseHook);
        template("foreign", base(foreign) + "/v1/hooks/pre-provisioning");
        // Same host and port, a path that only starts with the prefix's characters.
        template("sibling-path", base(release) + "/v1/hooks-elsewhere");
    }

    @AfterAll
    static void stop() {
        emulator.close();
        release.stop(0);
        foreign.stop(0);
    }

    @Test
    void aForeignHookUrlGetsNoSecretAndTheReleaseHookStillDoes() throws Exception {
        var foreignThing = provision("foreign", "FOREIGN-1");
        assertThat(foreignThing).isEqualTo("device-FOREIGN-1");
        assertThat(foreignSaw).hasSize(1);
        assertThat(foreignSaw.peek()).isEmpty();

        // Nothing the release accepts is lost: its hook still receives the secret and provisions.
        assertThat(provision("release", "RELEASE-1")).isEqualTo("device-RELEASE-1");
        assertThat(releaseSaw).contains(List.of(SECRET));
        assertThat(foreignSaw).hasSize(1);
    }

    @Test
    void aPathThatOnlyLooksLikeThePrefixGetsNoSecret() throws Exception {
        // The release's server refuses calls without the secret: the device is refused, and no secret went out.
        assertThatThrownBy(() -> provision("sibling-path", "SIBLING-1"))
                .hasRootCauseInstanceOf(SdkDevice.Rejected.class)
                .hasMessageContaining("AccessDenied");
        assertThat(emulator.registry().things().find("device-SIBLING-1")).isEmpty();
        assertThat(releaseSaw).contains(List.of());
    }

    private static String provision(String template, String serial) throws Exception {
        return SdkDevice.provision(emulator, template, serial);
    }

    private static void template(String name, String hookUrl) {
        TestTemplates.create(emulator.registry(), name, "device-", hookUrl);
    }

    /** Records the secret headers each call carried; allows only with the secret if {@code requireSecret}. */
    private static HttpServer hookServer(Queue<List<String>> saw, boolean requireSecret) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            List<String> secrets = exchange.getRequestHeaders().getOrDefault(HEADER, List.of());
            saw.add(List.copyOf(secrets));
            boolean allow = !requireSecret || secrets.equals(List.of(SECRET));
            byte[] body = ("{\"allowProvisioning\":" + allow + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
