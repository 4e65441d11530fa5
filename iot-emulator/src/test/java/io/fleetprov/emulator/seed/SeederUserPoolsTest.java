package io.fleetprov.emulator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoException;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-pool part of a seed file, as a developer writes it: a public and a confidential app client. */
class SeederUserPoolsTest {

    @TempDir
    Path dir;

    @Test
    void seededClientSecretIsKeptAndRequired() throws Exception {
        Path file = dir.resolve("seed.json");
        Files.writeString(file, """
                {"userPools": [{"id": "us-east-1_Seeded", "name": "installers",
                  "clients": [{"clientId": "installerapp", "clientName": "installer-app"},
                              {"clientId": "backend", "clientName": "backend", "clientSecret": "s3cretvalue"}],
                  "users": [{"username": "alice", "password": "Installer-Passw0rd!"}]}]}
                """);
        Clock clock = Clock.systemUTC();
        CognitoUserPools cognito = new CognitoUserPools(null, "http://localhost:4566", clock);

        Seeder.apply(
                SeedFile.read(file),
                new Registry(clock, new Arns("us-east-1", "000000000000"), new TemplateEngine()),
                cognito);

        assertThat(cognito.pools().appClients("us-east-1_Seeded"))
                .extracting(AppClient::clientId, AppClient::clientSecret)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("backend", "s3cretvalue"),
                        org.assertj.core.groups.Tuple.tuple("installerapp", null));
        assertThat(cognito.pools().appClients("us-east-1_Seeded").get(0).toString())
                .doesNotContain("s3cretvalue");
        assertThatThrownBy(() -> cognito.authentication()
                        .initiateAuth(
                                "backend",
                                "USER_PASSWORD_AUTH",
                                Map.of("USERNAME", "alice", "PASSWORD", "Installer-Passw0rd!")))
                .isInstanceOfSatisfying(
                        CognitoException.class, e -> assertThat(e.errorType()).isEqualTo("NotAuthorizedException"))
                .hasMessageContaining("SECRET_HASH was not received");
        assertThat(cognito.authentication()
                        .initiateAuth(
                                "installerapp",
                                "USER_PASSWORD_AUTH",
                                Map.of("USERNAME", "alice", "PASSWORD", "Installer-Passw0rd!"))
                        .tokens())
                .isNotNull();
    }
}
