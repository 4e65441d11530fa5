package io.fleetprov.audit.testing;

import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoHttpHandler;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.cognito.UserPool;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;

/**
 * The emulator's Cognito user pool over HTTP (OIDC discovery, JWKS, InitiateAuth), with an auditor and an
 * installer. Sets {@code fleetprov.oidc.issuer} for the service and {@code test.cognito.*} for {@link Tokens}.
 */
public class CognitoPoolTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "Passw0rd!audit";
    public static final String AUDITOR = "alice-auditor";
    public static final String INSTALLER = "ivan-installer";
    public static final String NO_GROUP = "nora-nogroup";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        CognitoUserPools pools = new CognitoUserPools(null, baseUrl, Clock.systemUTC());
        CognitoHttpHandler handler = new CognitoHttpHandler(pools);
        server.createContext("/", handler);
        server.start();
        UserPool pool = pools.createUserPool("fleetprov");
        AppClient client = pools.createAppClient(pool.id(), "audit-tests");
        pools.createGroup(pool.id(), "auditor");
        pools.createGroup(pool.id(), "installers");
        for (String user : new String[] {AUDITOR, INSTALLER, NO_GROUP}) {
            pools.adminCreateUser(pool.id(), user, PASSWORD, Map.of());
            pools.adminSetUserPassword(pool.id(), user, PASSWORD, true);
        }
        pools.adminAddUserToGroup(pool.id(), AUDITOR, "auditor");
        pools.adminAddUserToGroup(pool.id(), INSTALLER, "installers");
        return Map.of("fleetprov.oidc.issuer", pool.issuer(),
                "test.cognito.endpoint", baseUrl,
                "test.cognito.client-id", client.clientId());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
