package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

/**
 * Apps sign in with amazon-cognito-identity-js, which only speaks USER_SRP_AUTH: the pinned library (src/test/node,
 * installed with {@code npm ci}) signs in against the emulator, also through NEW_PASSWORD_REQUIRED. Skipped, with
 * the reason, where node or npm is missing or the npm registry cannot be reached.
 */
class CognitoJsSrpIT {

    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-compat");
    private static final List<String> NETWORK_ERRORS =
            List.of("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "network", "proxy");

    private static CognitoTestServer server;
    private static CognitoIdentityProviderClient cognito;
    private static String poolId;
    private static String clientId;

    @BeforeAll
    static void installLibraryAndStartCognito() throws Exception {
        Assumptions.assumeTrue(
                runs("node", "--version"), "node is not installed: skipping the amazon-cognito-identity-js test");
        Assumptions.assumeTrue(
                runs("npm", "--version"), "npm is not installed: skipping the amazon-cognito-identity-js test");
        npmCi();
        server = new CognitoTestServer();
        cognito = server.sdk();
        poolId = server.createUserPool("installers");
        clientId = server.createAppClient(
                poolId,
                "web-app",
                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void signsInWithSrp() throws Exception {
        createUser("alice", "Correct-horse-1", true);

        JsonNode result = signIn("alice", "Correct-horse-1", null);

        assertThat(result.get("outcome").asText()).isEqualTo("signed-in");
        assertThat(result.get("newPasswordRequired").asBoolean()).isFalse();
        JWTClaimsSet id = SignedJWT.parse(result.get("idToken").asText()).getJWTClaimsSet();
        assertThat(id.getStringClaim("cognito:username")).isEqualTo("alice");
        assertThat(id.getIssuer()).isEqualTo(server.baseUrl + "/" + poolId);
        assertThat(result.get("refreshToken").asText()).isNotBlank();
        assertThat(result.get("attributes").get("sub").asText()).isEqualTo(id.getSubject());
    }

    @Test
    void choosesANewPasswordWhenSignedInWithATemporaryOne() throws Exception {
        createUser("bob", "Temp-pass-1", false);

        JsonNode result = signIn("bob", "Temp-pass-1", "Bobs-new-pass-1");

        assertThat(result.get("outcome").asText()).isEqualTo("signed-in");
        assertThat(result.get("newPasswordRequired").asBoolean()).isTrue();
        assertThat(cognito.adminGetUser(r -> r.userPoolId(poolId).username("bob"))
                        .userStatus())
                .isEqualTo(UserStatusType.CONFIRMED);
        assertThat(signIn("bob", "Bobs-new-pass-1", null).get("outcome").asText())
                .isEqualTo("signed-in");
    }

    @Test
    void aWrongPasswordFailsAsCognitoFailsIt() throws Exception {
        createUser("carol", "Correct-horse-1", true);

        JsonNode result = signIn("carol", "Wrong-horse-1", null);

        assertThat(result.get("outcome").asText()).isEqualTo("failed");
        assertThat(result.get("code").asText()).isEqualTo("NotAuthorizedException");
        assertThat(result.get("message").asText()).isEqualTo("Incorrect username or password.");
        assertThat(signIn("carol", "Correct-horse-1", null).get("outcome").asText())
                .isEqualTo("signed-in");
    }

    private static void createUser(String username, String password, boolean permanent) {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username(username).temporaryPassword(password));
        if (permanent) {
            cognito.adminSetUserPassword(r ->
                    r.userPoolId(poolId).username(username).password(password).permanent(true));
        }
    }

    private static JsonNode signIn(String username, String password, String newPassword) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "signin.js")
                .directory(WORK.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.put("ENDPOINT", server.baseUrl + "/");
        env.put("USER_POOL_ID", poolId);
        env.put("CLIENT_ID", clientId);
        env.put("USERNAME", username);
        env.put("PASSWORD", password);
        if (newPassword != null) {
            env.put("NEW_PASSWORD", newPassword);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("signin.js did not finish");
        }
        return new ObjectMapper().readTree(output.strip());
    }

    /** {@code npm ci} into target/, once per lockfile content: later runs reuse the installed modules. */
    private static void npmCi() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "signin.js")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String lockDigest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(WORK.resolve("package-lock.json"))));
        Path marker = WORK.resolve("node_modules").resolve(".fleetprov-lock-sha256");
        if (Files.exists(marker) && Files.readString(marker).equals(lockDigest)) {
            return;
        }
        Process npm = new ProcessBuilder(
                        "npm", "ci", "--no-audit", "--no-fund", "--fetch-timeout=30000", "--fetch-retries=1")
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .start();
        npm.getOutputStream().close();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            Assumptions.abort("npm ci did not finish in 5 minutes (registry unreachable?): skipping");
        }
        if (npm.exitValue() != 0) {
            boolean network = NETWORK_ERRORS.stream().anyMatch(output::contains);
            Assumptions.assumeFalse(network, () -> "the npm registry is unreachable, skipping: " + lastLine(output));
            throw new AssertionError("npm ci failed:\n" + output);
        }
        Files.writeString(marker, lockDigest);
    }

    private static boolean runs(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
