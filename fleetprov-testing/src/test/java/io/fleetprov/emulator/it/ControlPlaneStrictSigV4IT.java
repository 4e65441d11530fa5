package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.TestTemplates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.IotException;

/** Strict SigV4: the SDK's own signer with the right key passes; a wrong secret, an unknown key or none fail. */
class ControlPlaneStrictSigV4IT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String KEY = "AKIDSTRICTTEST";
    private static final String SECRET = "strict-secret-value";
    private static IotEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        Path seed = Files.createTempFile("strict-seed", ".json");
        Files.writeString(seed, ControlPlaneCognitoIT.SEED);
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .accessKey(KEY, SECRET)
                .seedFile(seed)
                .build());
        Files.delete(seed);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void requestsSignedWithTheConfiguredKeyPass() {
        try (IotClient iot = AwsClients.iot(emulator, KEY, SECRET)) {
            iot.createProvisioningTemplate(r -> r.templateName("strict")
                    .templateBody(DEVICE_TEMPLATE)
                    .provisioningRoleArn(TestTemplates.ROLE)
                    .enabled(true));
            var claim = iot.createProvisioningClaim(r -> r.templateName("strict"));
            String arn = emulator.registry()
                    .certificates()
                    .get(claim.certificateId())
                    .certificateArn();
            // An ARN in the path (encoded twice in the canonical request) and query parameters in the signature.
            assertThat(iot.listAttachedPolicies(r -> r.target(arn).pageSize(5)).policies())
                    .isEmpty();
            // Attribute characters AWS allows that need percent-encoding in the query the signature covers.
            iot.createThing(
                    r -> r.thingName("strict-thing").attributePayload(p -> p.attributes(Map.of("a@b/c", "d=e:f"))));
            assertThat(iot.listThings(r -> r.attributeName("a@b/c")
                                    .attributeValue("d=e:f")
                                    .maxResults(3))
                            .things())
                    .hasSize(1);
            // The principal header is signed too.
            iot.attachThingPrincipal(r -> r.thingName("strict-thing").principal(arn));
            assertThat(iot.listPrincipalThings(r -> r.principal(arn)).things()).containsExactly("strict-thing");
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (IotClient iot = AwsClients.iot(emulator, KEY, "not-the-secret")) {
            assertThatThrownBy(() -> iot.listThings(r -> {})).isInstanceOfSatisfying(IotException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            });
        }
    }

    @Test
    void anUnknownKeyIsUnrecognized() {
        try (IotClient iot = AwsClients.iot(emulator, "AKIDUNKNOWN", SECRET)) {
            assertThatThrownBy(() -> iot.describeEndpoint(r -> {})).isInstanceOfSatisfying(IotException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            });
        }
    }

    @Test
    void unsignedRequestsAreRefusedExceptCognitoSignIn() throws Exception {
        HttpResponse<String> unsigned = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        emulator.httpUrl() + "/provisioning-templates/strict/provisioning-claim"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        // The emulator's own routes are signed like AWS's: an unsigned caller reads nothing of the process.
        HttpResponse<String> memory = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(emulator.httpUrl() + "/_emulator/memory"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(memory.statusCode()).isEqualTo(403);
        assertThat(memory.body()).doesNotContain("heap");

        // InitiateAuth is unsigned on AWS too; the official client sends it without a signature.
        try (var cognito = AwsClients.cognito(emulator)) {
            var auth = cognito.initiateAuth(r -> r.clientId(ControlPlaneCognitoIT.CLIENT_ID)
                    .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Installer-Passw0rd!")));
            assertThat(auth.authenticationResult().accessToken()).isNotBlank();
            // So are the calls the user's access token authorises.
            String accessToken = auth.authenticationResult().accessToken();
            assertThat(cognito.getUser(r -> r.accessToken(accessToken)).username())
                    .isEqualTo("alice");
            cognito.globalSignOut(r -> r.accessToken(accessToken));
            // Admin operations are signed, and a dummy key is not one the emulator knows.
            assertThatThrownBy(() -> cognito.adminGetUser(
                            r -> r.userPoolId(ControlPlaneCognitoIT.POOL_ID).username("alice")))
                    .satisfies(e -> assertThat(((software.amazon.awssdk.awscore.exception.AwsServiceException) e)
                                    .awsErrorDetails()
                                    .errorCode())
                            .isEqualTo("UnrecognizedClientException"));
        }
    }
}
