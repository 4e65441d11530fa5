package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.iot.model.EventType;

/** Cognito on the emulator's HTTP port, seeded from the seed file, with the official Cognito client. */
class ControlPlaneCognitoIT {

    static final String POOL_ID = "us-east-1_Installers";
    static final String CLIENT_ID = "installerapp";
    static final String SEED = """
            {
              "eventConfigurations": {"THING": {"Enabled": true}},
              "userPools": [{
                "id": "us-east-1_Installers",
                "name": "installers",
                "clients": [{"clientId": "installerapp", "clientName": "installer-app"}, {"clientName": "other"}],
                "groups": ["installer", "auditor"],
                "users": [{"username": "alice", "password": "Installer-Passw0rd!", "groups": ["installer"],
                           "attributes": {"email": "alice@example.com"}}]
              }]
            }
            """;

    @TempDir
    Path dir;

    @Test
    void seededInstallerSignsInWithTheOfficialClient() throws Exception {
        Path seed = Files.writeString(dir.resolve("seed.json"), SEED);
        try (IotEmulator emulator = IotEmulator.start(
                        EmulatorConfig.builder().forTests().seedFile(seed).build());
                CognitoIdentityProviderClient cognito = AwsClients.cognito(emulator)) {
            var auth = cognito.initiateAuth(r -> r.clientId(CLIENT_ID)
                    .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Installer-Passw0rd!")));
            assertThat(auth.challengeName())
                    .as("seeded passwords are permanent")
                    .isNull();
            JsonNode idToken = claims(auth.authenticationResult().idToken());
            assertThat(idToken.path("iss").asText()).isEqualTo(emulator.httpUrl() + "/" + POOL_ID);
            assertThat(idToken.path("cognito:groups").toString()).isEqualTo("[\"installer\"]");
            assertThat(idToken.path("email").asText()).isEqualTo("alice@example.com");

            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(CLIENT_ID)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "wrong-password"))))
                    .isInstanceOfSatisfying(
                            NotAuthorizedException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));

            HttpResponse<String> discovery = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            emulator.httpUrl() + "/" + POOL_ID + "/.well-known/openid-configuration"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper()
                            .readTree(discovery.body())
                            .path("issuer")
                            .asText())
                    .isEqualTo(emulator.httpUrl() + "/" + POOL_ID);

            assertThat(emulator.cognito().pools().appClients(POOL_ID)).hasSize(2);
            try (var iot = AwsClients.iot(emulator)) {
                assertThat(iot.describeEventConfigurations(r -> {})
                                .eventConfigurations()
                                .get(EventType.THING)
                                .enabled())
                        .isTrue();
            }
        }
    }

    @Test
    void signingKeysAndEndpointsPersistInTheDataDirectory() throws Exception {
        Path seed = Files.writeString(dir.resolve("seed.json"), SEED);
        Path data = dir.resolve("data");
        String jwksBefore;
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).seedFile(seed).build())) {
            jwksBefore = emulator.cognito().tokens().jwks(POOL_ID);
            JsonNode endpoints =
                    new ObjectMapper().readTree(data.resolve("endpoints.json").toFile());
            assertThat(endpoints.path("httpUrl").asText()).isEqualTo(emulator.httpUrl());
            assertThat(endpoints.path("userPools").get(0).path("id").asText()).isEqualTo(POOL_ID);
            assertThat(endpoints.path("userPools").get(0).path("issuer").asText())
                    .isEqualTo(emulator.httpUrl() + "/" + POOL_ID);
            assertThat(endpoints.path("userPools").get(0).path("clients").toString())
                    .contains(CLIENT_ID);
        }
        assertThat(data.resolve("cognito").resolve(POOL_ID + ".jwk.json")).exists();
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).seedFile(seed).build())) {
            assertThat(emulator.cognito().tokens().jwks(POOL_ID)).isEqualTo(jwksBefore);
        }
    }

    @Test
    void anInvalidUserPoolSeedStopsTheStartAndFreesTheHttpPort() throws Exception {
        Path seed = Files.writeString(dir.resolve("bad-seed.json"), """
                {"userPools": [{"name": "p", "users": [{"username": "bob", "password": "short"}]}]}
                """);
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        assertThatThrownBy(() -> IotEmulator.start(EmulatorConfig.builder()
                        .forTests()
                        .httpPort(port)
                        .seedFile(seed)
                        .build()))
                .hasMessageContaining("assword");
        try (java.net.ServerSocket rebind =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(rebind.getLocalPort()).isEqualTo(port);
        }
    }

    private static JsonNode claims(String jwt) throws Exception {
        String payload = jwt.split("\\.")[1];
        return new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
