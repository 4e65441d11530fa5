package io.fleetprov.compat.oidc;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The emulator with a user pool whose app client registers the test web app's callback and logout URLs; the web app's
 * port is chosen here, since the URLs must be registered before the app starts.
 */
public class HostedUiEmulatorResource implements QuarkusTestResourceLifecycleManager {

    static final String POOL_ID = "us-east-1_WebApp1";
    static final String CLIENT_ID = "installerwebapp";
    static final String PASSWORD = "Installer-Passw0rd!";

    private IotEmulator emulator;
    private Path seedDir;

    @Override
    public Map<String, String> start() {
        try {
            int appPort = freePort();
            String app = "http://localhost:" + appPort;
            seedDir = Files.createTempDirectory("hosted-ui-compat");
            Path seed = seedDir.resolve("seed.json");
            Files.writeString(seed, """
                    {"userPools": [{
                      "id": "%s", "name": "installers",
                      "clients": [{"clientId": "%s", "clientName": "installer-web-app",
                                   "callbackURLs": ["%s/callback"], "logoutURLs": ["%s/signed-out"],
                                   "allowedOAuthFlows": ["code"], "allowedOAuthScopes": ["openid", "email", "profile"]}],
                      "groups": ["installer"],
                      "users": [{"username": "alice", "password": "%s", "groups": ["installer"],
                                 "attributes": {"email": "alice@example.com"}}]
                    }]}
                    """.formatted(POOL_ID, CLIENT_ID, app, app, PASSWORD));
            emulator = IotEmulator.start(
                    EmulatorConfig.builder().forTests().seedFile(seed).build());
            return Map.of(
                    "quarkus.oidc.auth-server-url",
                    emulator.httpUrl() + "/" + POOL_ID,
                    "quarkus.oidc.client-id",
                    CLIENT_ID,
                    "quarkus.http.test-port",
                    String.valueOf(appPort),
                    "fleetprov-compat.emulator-url",
                    emulator.httpUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
        try {
            if (seedDir != null) {
                Files.deleteIfExists(seedDir.resolve("seed.json"));
                Files.deleteIfExists(seedDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
