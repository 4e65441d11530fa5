package io.fleetprov.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire contract of the HTTP port, seen with a plain HTTP client: what curl users and SDK parsers get. */
class EmulatorHttpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE_BODY = """
            {"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "x"}}}}""";
    private static IotEmulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry()
                .templates()
                .create("raw", null, TEMPLATE_BODY, true, "arn:aws:iam::123456789012:role/r", null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void createProvisioningClaimAcceptsNoBodyAndAnEmptyObject() throws Exception {
        for (HttpRequest.BodyPublisher body :
                List.of(HttpRequest.BodyPublishers.noBody(), HttpRequest.BodyPublishers.ofString("{}"))) {
            HttpResponse<String> response =
                    send("POST", "/provisioning-templates/raw/provisioning-claim", body, Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode claim = JSON.readTree(response.body());
            assertThat(claim.path("keyPair").has("PublicKey")).isTrue();
            assertThat(claim.path("keyPair").has("PrivateKey")).isTrue();
            assertThat(claim.path("expiration").isNumber()).isTrue();
            assertThat(claim.path("expiration").asDouble())
                    .isCloseTo(System.currentTimeMillis() / 1000.0 + 300, org.assertj.core.data.Offset.offset(10.0));
        }
    }

    @Test
    void errorsCarryTheTypeInHeaderAndBody() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/provisioning-templates/nope/provisioning-claim",
                HttpRequest.BodyPublishers.noBody(),
                Map.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("__type").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(body.path("message").asText()).contains("nope");
    }

    @Test
    void malformedJsonIsAnInvalidRequest() throws Exception {
        for (String body : List.of("{\"templateName\": ", "[1,2]", "{\"enabled\": {}}")) {
            HttpResponse<String> response =
                    send("POST", "/provisioning-templates", HttpRequest.BodyPublishers.ofString(body), Map.of());
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestException");
            assertThat(response.body()).doesNotContain("at com.").doesNotContain("Exception:");
        }
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String huge = "{\"templateBody\":\"" + "x".repeat(RequestDispatcher.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> response =
                send("POST", "/provisioning-templates", HttpRequest.BodyPublishers.ofString(huge), Map.of());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("RequestEntityTooLargeException");
    }

    @Test
    void unknownPathsAndMethodsAreAwsErrors() throws Exception {
        HttpResponse<String> unknown =
                send("GET", "/no/such/thing/here", HttpRequest.BodyPublishers.noBody(), Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
        HttpResponse<String> wrongMethod = send("PUT", "/endpoint", HttpRequest.BodyPublishers.noBody(), Map.of());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void aCredentialForAnotherServiceIsRefusedEvenInLenientMode() throws Exception {
        String scope = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/%s/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
        HttpResponse<String> wrong = send(
                "GET",
                "/endpoint",
                HttpRequest.BodyPublishers.noBody(),
                Map.of("Authorization", scope.formatted("s3")));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(JSON.readTree(wrong.body()).path("message").asText())
                .isEqualTo("Credential should be scoped to correct service: 'iot'.");
        for (String service : List.of("iot", "execute-api")) {
            assertThat(send(
                                    "GET",
                                    "/endpoint",
                                    HttpRequest.BodyPublishers.noBody(),
                                    Map.of("Authorization", scope.formatted(service)))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void cognitoRequestsReachTheCognitoHandler() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/",
                HttpRequest.BodyPublishers.ofString("{\"ClientId\":\"unknown\",\"AuthFlow\":\"USER_PASSWORD_AUTH\"}"),
                Map.of(
                        "X-Amz-Target",
                        "AWSCognitoIdentityProviderService.InitiateAuth",
                        "Content-Type",
                        "application/x-amz-json-1.1"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();

        HttpResponse<String> wrongService = send(
                "POST",
                "/",
                HttpRequest.BodyPublishers.ofString("{}"),
                Map.of(
                        "X-Amz-Target",
                        "AWSCognitoIdentityProviderService.AdminGetUser",
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iot/aws4_request, SignedHeaders=host, "
                                + "Signature=00"));
        assertThat(wrongService.statusCode()).isEqualTo(403);
        assertThat(wrongService.body()).contains("'cognito-idp'");
    }

    @Test
    void unexpectedFailuresAreA500WithoutDetails() throws Exception {
        ControlPlane failing = new ControlPlane(List.of(Route.of("GET", "/boom", "Boom", request -> {
            throw new IllegalStateException("secret internal detail");
        })));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                new RequestDispatcher(
                        failing,
                        exchange -> exchange.close(),
                        new SigV4Verifier(Map.of(), "us-east-1", Clock.systemUTC())));
        server.start();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + server.getAddress().getPort() + "/boom"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalFailureException");
            assertThat(response.body()).doesNotContain("secret internal detail").doesNotContain("IllegalState");
        } finally {
            server.stop(0);
        }
    }

    private HttpResponse<String> send(
            String method, String path, HttpRequest.BodyPublisher body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(emulator.httpUrl() + path)).method(method, body);
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
