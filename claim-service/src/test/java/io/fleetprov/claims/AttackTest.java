package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/**
 * claim-service tried as an attacker would: hostile sizes, a second claim for a provisioned device, a token of
 * another app client of the same pool, a huge hook body without the secret. Each test asserts the refusal and that
 * what was accepted before is still there.
 */
@QuarkusTest
class AttackTest {

    /** Two installers for the whole class, each within the test quota (5 claims a minute): installers are few. */
    private static final String ALICE = ClaimServiceEmulator.installer();

    private static final String BOB = ClaimServiceEmulator.installer();

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void aSecondClaimForAProvisionedSerialIsRefused() {
        String installer = ALICE;
        String serial = Claims.serial();
        String claim = (String) Claims.issue(installer, serial).get("certificateId");
        Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(true));

        Claims.request(installer, serial)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/already-provisioned"));

        Claims.get(installer, claim).statusCode(200).body("status", equalTo("USED"));
    }

    @Test
    void aHugeTemplateNameIsRefusedBeforeAnyWork() throws Exception {
        String installer = BOB;
        String serial = Claims.serial();
        try (EventListener events = EventListener.subscribe(emulator)) {
            // Over the 64 KB body limit: refused before the body is parsed.
            given().auth()
                    .oauth2(Tokens.of(installer))
                    .contentType(ContentType.JSON)
                    .body(Map.of("serialNumber", serial, "templateName", "t".repeat(140_000)))
                    .post("/v1/claims")
                    .then()
                    .statusCode(413);
            // Under the body limit, over AWS's 36 characters: a 400 problem, and the event leaves the name out.
            given().auth()
                    .oauth2(Tokens.of(installer))
                    .contentType(ContentType.JSON)
                    .body(Map.of("serialNumber", serial, "templateName", "t".repeat(60_000)))
                    .post("/v1/claims")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://fleetprov.io/problems/invalid-input"));
            Claims.request(installer, serial, "x".repeat(37), null).statusCode(400);
            Claims.request(installer, serial, "fleetprov device", null).statusCode(400);

            // Nothing was reserved: the installer's claim still issues, and its event follows the refusals.
            String claim = (String) Claims.issue(installer, serial).get("certificateId");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(claim)).isNotEmpty());
            assertThat(events.ofType(EventType.CLAIM_REFUSED.wire()))
                    .filteredOn(r -> installerOf(r).equals(subjectOf(installer)))
                    .hasSize(3)
                    .allSatisfy(r -> {
                        assertThat(r.event().get("reason").asText()).isEqualTo("invalid-input");
                        assertThat(r.event().has("templateName")).isFalse();
                        assertThat(r.raw().length()).isLessThan(2048);
                    });
        }
    }

    @Test
    void anOverLongFieldInAHookCallIsCutInItsEventAndBlocksNothing() throws Exception {
        String installer = ALICE;
        String serial = Claims.serial();
        String claim = (String) Claims.issue(installer, serial).get("certificateId");
        try (EventListener events = EventListener.subscribe(emulator)) {
            // Well over any bound, yet with the rest of the call under the 64 KB body limit.
            String hostile = "S".repeat(20_000);
            Claims.hook(Claims.hookSecret(), claim, hostile).statusCode(200).body("allowProvisioning", equalTo(false));
            String later = (String) Claims.issue(installer, Claims.serial()).get("certificateId");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(events.about(claim)).anySatisfy(r -> {
                    assertThat(r.event().get("type").asText()).isEqualTo(EventType.HOOK_DECISION.wire());
                    assertThat(r.event().get("serialNumber").asText()).isEqualTo("S".repeat(128));
                });
                assertThat(events.about(later)).isNotEmpty();
            });
        }
        Claims.get(installer, claim).statusCode(200).body("status", equalTo("DENIED"));
    }

    @Test
    void aHugeHookBodyWithoutTheSecretIsRefusedBeforeItIsRead() throws Exception {
        String installer = ALICE;
        String serial = Claims.serial();
        String claim = (String) Claims.issue(installer, serial).get("certificateId");

        // Only the head of a 10 MB request is sent: an answer proves the service decided without the body.
        for (String secret : new String[] {null, "not-the-secret-but-long-enough"}) {
            long start = System.nanoTime();
            String answer = headOnlyHookRequest(secret, 10 * 1024 * 1024);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("application/problem+json");
            assertThat(millis).as("answered in ms").isLessThan(5000);
        }
        // With the secret the same request is refused for its size, still before the body.
        assertThat(headOnlyHookRequest(Claims.hookSecret(), 10 * 1024 * 1024)).startsWith("HTTP/1.1 413");

        // None of the three calls touched the claim.
        Claims.get(installer, claim).statusCode(200).body("status", equalTo("ISSUED"));
        Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(true));
    }

    /** Sends the request line and headers of a POST with this Content-Length, no body, and reads the answer. */
    private static String headOnlyHookRequest(String secret, long contentLength) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder()
                    .append("POST /v1/hooks/pre-provisioning HTTP/1.1\r\n")
                    .append("Host: localhost:")
                    .append(port)
                    .append("\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Content-Length: ")
                    .append(contentLength)
                    .append("\r\n");
            if (secret != null) {
                head.append(ClaimServiceEmulator.HOOK_HEADER)
                        .append(": ")
                        .append(secret)
                        .append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[4096];
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aHookBodyStreamedWithoutTheSecretIsRefusedAndTheConnectionClosed() throws Exception {
        String installer = BOB;
        String serial = Claims.serial();
        String claim = (String) Claims.issue(installer, serial).get("certificateId");
        given().contentType(ContentType.JSON)
                .body(hookBody(claim, serial, 1024 * 1024))
                .post("/v1/hooks/pre-provisioning")
                .then()
                .statusCode(401)
                .header("Connection", "close");
        Claims.get(installer, claim).statusCode(200).body("status", equalTo("ISSUED"));
    }

    @Test
    void tokensOfAnotherAppClientOfThePoolAreRefused() {
        String poolId = Replacers.poolId();
        String otherClient = emulator.cognito()
                .pools()
                .createAppClient(poolId, "another-app")
                .clientId();
        String installer = BOB;
        AuthenticationResultType other = signIn(otherClient, installer);
        AuthenticationResultType own = signIn(Tokens.config("fleetprov-test.cognito-client-id"), installer);

        for (String token : new String[] {other.accessToken(), other.idToken()}) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("serialNumber", Claims.serial()))
                    .post("/v1/claims")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
        // The same user through the service's own app client: both kinds of token are accepted.
        for (String token : new String[] {own.accessToken(), own.idToken()}) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("serialNumber", Claims.serial()))
                    .post("/v1/claims")
                    .then()
                    .statusCode(201);
        }
    }

    private static AuthenticationResultType signIn(String clientId, String username) {
        try (CognitoIdentityProviderAsyncClient cognito = CognitoIdentityProviderAsyncClient.builder()
                .endpointOverride(URI.create(Tokens.config("fleetprov-test.cognito-url")))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .clientId(clientId)
                            .authParameters(Map.of("USERNAME", username, "PASSWORD", ClaimServiceEmulator.PASSWORD)))
                    .join()
                    .authenticationResult();
        }
    }

    private static byte[] hookBody(String claim, String serial, int size) {
        String head = "{\"claimCertificateId\":\"" + claim + "\",\"parameters\":{\"SerialNumber\":\"" + serial
                + "\"},\"padding\":\"";
        StringBuilder body = new StringBuilder(size).append(head);
        while (body.length() < size - 2) {
            body.append('x');
        }
        return body.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String installerOf(EventListener.Received r) {
        return r.event().path("installer").asText("");
    }

    /** The token subject the service records as the installer. */
    private static String subjectOf(String username) {
        String payload = Tokens.of(username).split("\\.")[1];
        String json = new String(java.util.Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
    }
}
