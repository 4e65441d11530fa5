package io.fleetprov.claims;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.IssuedCertificate;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.cognito.OAuthSettings;
import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.testing.FreePorts;
import io.fleetprov.testing.TestClock;
import io.fleetprov.testing.TestTemplates;
import io.fleetprov.testing.quarkus.IotEmulatorTestResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The AWS side for the service's tests, in-process: the iot-emulator (broker, CA, registry, provisioning API,
 * CreateProvisioningClaim) with its hook pointing at this service on a fixed test port and sending the shared
 * secret, a service identity for the event relay, and a Cognito user pool (served by the emulator on its HTTP
 * port, with the control plane) holding installers, an admin and an auditor.
 * Everything runs on {@link #CLOCK}, which the service uses too.
 */
public class ClaimServiceEmulator extends IotEmulatorTestResource {

    public static final TestClock CLOCK = TestClock.running();
    public static final String TEMPLATE = "fleetprov-device";
    /** Allowed for admins only. */
    public static final String RESTRICTED_TEMPLATE = "fleetprov-lab";

    public static final String HOOK_HEADER = "X-Fleetprov-Hook-Secret";
    public static final String PASSWORD = "Installer-Passw0rd!";
    /** Installers {@code installer-1} .. {@code installer-N}; tests take fresh ones with {@link #installer()}. */
    public static final int INSTALLERS = 90;

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_INSTALLER =
            new java.util.concurrent.atomic.AtomicInteger();

    /** An installer no other test has used, so per-installer quotas never couple tests. */
    public static String installer() {
        int n = NEXT_INSTALLER.incrementAndGet();
        if (n > INSTALLERS) {
            throw new IllegalStateException("raise ClaimServiceEmulator.INSTALLERS");
        }
        return "installer-" + n;
    }

    private final int servicePort = FreePorts.freePort();
    /** The service's HTTPS port, where the installer app's hosted-UI callback goes. */
    private final int httpsPort = FreePorts.freePort();

    private final String hookSecret = UUID.randomUUID().toString();

    @Override
    protected void configure(EmulatorConfig.Builder config) {
        config.clock(CLOCK).hookHeader(HOOK_HEADER, hookSecret);
    }

    @Override
    protected Map<String, String> seed(IotEmulator emulator) throws IOException {
        var hook = new ProvisioningTemplate.PreProvisioningHook(
                "http://localhost:" + servicePort + "/v1/hooks/pre-provisioning", "2020-04-01");
        // Things are named after the serial, as the service's hook expects.
        String template = TestTemplates.deviceTemplate("");
        emulator.registry().templates().create(TEMPLATE, null, template, true, TestTemplates.ROLE, hook, null);
        emulator.registry()
                .templates()
                .create(RESTRICTED_TEMPLATE, null, template, true, TestTemplates.ROLE, hook, null);
        IdentityFiles identity = writeServiceIdentity("claim-service");

        Cognito cognito = seedUsers(emulator.cognito(), emulator.httpUrl(), "https://localhost:" + httpsPort);
        // The SDK's default credential chain reads these; the emulator does not check signatures by default.
        System.setProperty("aws.accessKeyId", "AKIDCLAIMSERVICETEST");
        System.setProperty("aws.secretAccessKey", "claim-service-test-secret");

        Map<String, String> p = new HashMap<>();
        p.put("quarkus.http.test-port", Integer.toString(servicePort));
        p.put("fleetprov-test.service-identity-id", identity.certificateId());
        p.put("fleetprov-test.cognito-url", cognito.url());
        p.put("fleetprov-test.cognito-client-id", cognito.clientId());
        p.put("quarkus.oidc.auth-server-url", cognito.url() + "/" + cognito.poolId());
        p.put("fleetprov.hook.secret", hookSecret);
        p.put("fleetprov.aws.region", "us-east-1");
        p.put("fleetprov.aws.endpoint-override", emulator.httpUrl());
        p.put("fleetprov.aws.iot-endpoint", emulator.mqttEndpoint());
        p.put("fleetprov.claims.default-template", TEMPLATE);
        p.put("fleetprov.claims.templates-by-group.installer", TEMPLATE);
        p.put("fleetprov.claims.templates-by-group.admin", TEMPLATE + "," + RESTRICTED_TEMPLATE);
        p.put("mp.messaging.outgoing.fleet-events.host", emulator.mqttHost());
        p.put("mp.messaging.outgoing.fleet-events.port", Integer.toString(emulator.mqttPort()));
        p.put("quarkus.tls.mqtt.key-store.pem.0.cert", identity.certificate().toString());
        p.put("quarkus.tls.mqtt.key-store.pem.0.key", identity.privateKey().toString());
        p.put("quarkus.tls.mqtt.trust-store.pem.certs", caFile().toString());
        p.putAll(https(emulator));
        return p;
    }

    /**
     * HTTPS beside the tests' plain HTTP port, as the local system serves it: the TLS registry's "https"
     * configuration with a certificate for localhost from the emulator's CA, which the HTTPS tests trust.
     */
    private Map<String, String> https(IotEmulator emulator) throws IOException {
        IssuedCertificate server = emulator.ca().issueServerCertificate(List.of());
        Path dir = Files.createTempDirectory("claim-service-https");
        Path cert = Files.writeString(dir.resolve("tls.crt"), Pem.certificate(server.certificate()));
        Path key = Files.writeString(
                dir.resolve("tls.key"), Pem.privateKey(server.keyPair().getPrivate()));
        return Map.of(
                "quarkus.http.tls-configuration-name", "https",
                "quarkus.tls.https.key-store.pem.0.cert", cert.toString(),
                "quarkus.tls.https.key-store.pem.0.key", key.toString(),
                "quarkus.http.test-ssl-port", Integer.toString(httpsPort),
                "fleetprov-test.https-port", Integer.toString(httpsPort),
                "fleetprov-test.https-ca-file", caFile().toString(),
                "fleetprov-test.https-cert-file", cert.toString());
    }

    private record Cognito(String url, String poolId, String clientId) {}

    private static Cognito seedUsers(CognitoUserPools pools, String url, String serviceHttpsUrl) {
        String poolId = pools.pools()
                .createUserPool("us-east-1_fleetprov", "installers")
                .id();
        // The installer app client: USER_PASSWORD_AUTH for the API's tests, the hosted UI (code + PKCE) for the
        // installer web app, which comes back to the service's HTTPS port.
        var oauth = new OAuthSettings(
                List.of(serviceHttpsUrl + "/app/callback"),
                List.of(serviceHttpsUrl + "/app/signed-out"),
                Set.of(OAuthSettings.CODE),
                Set.of("openid", "profile", "email"),
                true,
                List.of(OAuthSettings.COGNITO));
        String clientId = pools.pools()
                .createAppClient(poolId, null, "installer-app", AppClient.DEFAULT_AUTH_FLOWS, null, oauth)
                .clientId();
        for (String group : List.of("installer", "admin", "auditor")) {
            pools.users().createGroup(poolId, group);
        }
        for (int n = 1; n <= INSTALLERS; n++) {
            user(pools, poolId, "installer-" + n, "installer");
        }
        user(pools, poolId, "carol-admin", "admin");
        user(pools, poolId, "dave-auditor", "auditor");
        return new Cognito(url, poolId, clientId);
    }

    private static void user(CognitoUserPools pools, String poolId, String name, String group) {
        pools.users().adminCreateUser(poolId, name, null, Map.of());
        pools.users().adminSetUserPassword(poolId, name, PASSWORD, true);
        pools.users().adminAddUserToGroup(poolId, name, group);
    }
}
