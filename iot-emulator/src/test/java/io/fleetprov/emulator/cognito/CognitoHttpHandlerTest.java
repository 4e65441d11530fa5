package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wire-level behaviour the SDK hides: error encoding, routing decisions, request ids. */
class CognitoHttpHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "AWSCognitoIdentityProviderService.";

    private CognitoTestServer server;
    private String poolId;

    @BeforeEach
    void start() throws Exception {
        server = new CognitoTestServer();
        poolId = server.cognito.pools().createUserPool("pool").id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        HttpResponse<String> response = server.post(PREFIX + "InitiateAuth", "{\"ClientId\": ");

        assertAwsError(response, 400, "SerializationException");
    }

    @Test
    void wronglyTypedMembersAreSerializationExceptionWithoutEchoingValues() throws Exception {
        String body =
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"u\",\"TemporaryPassword\":{\"x\":\"Sup3r-secret\"}}";

        HttpResponse<String> response = server.post(PREFIX + "AdminCreateUser", body);

        assertAwsError(response, 400, "SerializationException");
        assertThat(response.body()).doesNotContain("Sup3r-secret");
    }

    @Test
    void unknownTargetIsUnknownOperation() throws Exception {
        assertAwsError(server.post(PREFIX + "DeleteUserPool", "{}"), 400, "UnknownOperationException");
    }

    @Test
    void missingRequiredMemberIsInvalidParameter() throws Exception {
        HttpResponse<String> response = server.post(PREFIX + "CreateUserPool", "{}");

        assertAwsError(response, 400, "InvalidParameterException");
    }

    @Test
    void successfulResponsesCarryRequestIdAndAmzJson() throws Exception {
        HttpResponse<String> response =
                server.post(PREFIX + "CreateGroup", "{\"UserPoolId\":\"" + poolId + "\",\"GroupName\":\"g\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(JSON.readTree(response.body()).at("/Group/GroupName").asText())
                .isEqualTo("g");
    }

    @Test
    void wellKnownDocumentsOfUnknownPoolsAre404Json() throws Exception {
        HttpResponse<String> jwks = server.get("/us-east-1_Nope12345/.well-known/jwks.json");
        HttpResponse<String> config = server.get("/us-east-1_Nope12345/.well-known/openid-configuration");

        assertAwsError(jwks, 404, "ResourceNotFoundException");
        assertAwsError(config, 404, "ResourceNotFoundException");
    }

    @Test
    void jwksNeverPublishesThePrivateKey() throws Exception {
        JsonNode key = JSON.readTree(
                        server.get("/" + poolId + "/.well-known/jwks.json").body())
                .at("/keys/0");

        assertThat(key.get("kty").asText()).isEqualTo("RSA");
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        assertThat(key.has("kid") && key.has("n") && key.has("e")).isTrue();
        assertThat(key.has("d") || key.has("p") || key.has("q")).isFalse();
    }

    @Test
    void handlesOnlyCognitoRequests() throws Exception {
        assertThat(server.get("/things/abc").statusCode()).isEqualTo(CognitoTestServer.NOT_COGNITO);
        assertThat(server.get("/" + poolId + "/.well-known/other.json").statusCode())
                .isEqualTo(CognitoTestServer.NOT_COGNITO);
        assertThat(server.post("AWSIotService.ListThings", "{}").statusCode()).isEqualTo(CognitoTestServer.NOT_COGNITO);
        assertThat(server.post(null, "{}").statusCode()).isEqualTo(CognitoTestServer.NOT_COGNITO);
        assertThat(server.get("/" + poolId + "/.well-known/jwks.json").statusCode())
                .isEqualTo(200);
        assertThat(server.get("/" + poolId + "/.well-known/openid-configuration")
                        .statusCode())
                .isEqualTo(200);
    }

    private static void assertAwsError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("__type").asText()).isEqualTo(type);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("at io.fleetprov").doesNotContain("Exception:");
    }
}
