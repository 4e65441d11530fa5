package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules of the state itself, without HTTP. */
class CognitoUserPoolsTest {

    private final CognitoUserPools cognito =
            new CognitoUserPools(null, "http://localhost:4566/", Clock.systemUTC(), "eu-west-1");

    @Test
    void regionAndIssuerComeFromTheConstructor() {
        UserPool pool = cognito.pools().createUserPool("p");

        assertThat(pool.id()).matches("eu-west-1_[A-Za-z0-9]{9}");
        assertThat(pool.issuer()).isEqualTo("http://localhost:4566/" + pool.id());
        assertThat(cognito.discovery().document(pool.id()))
                .contains("\"issuer\":\"http://localhost:4566/" + pool.id() + "\"");
    }

    @Test
    void fixedIdsAreValidatedSoTheyCannotEscapeTheKeyDirectory() {
        assertThatThrownBy(() -> cognito.pools().createUserPool("../../etc_passwd", "p"))
                .isInstanceOfSatisfying(
                        CognitoException.class, e -> assertThat(e.errorType()).isEqualTo("InvalidParameterException"));
        cognito.pools().createUserPool("eu-west-1_Fixed1", "p");
        assertThatThrownBy(() -> cognito.pools().createUserPool("eu-west-1_Fixed1", "again"))
                .isInstanceOf(CognitoException.class);
    }

    @Test
    void subIsImmutableAndUsernamesAreCaseSensitive() {
        UserPool pool = cognito.pools().createUserPool("p");
        assertThatThrownBy(() -> cognito.users().adminCreateUser(pool.id(), "u", "Temp-pass-1", Map.of("sub", "x")))
                .isInstanceOfSatisfying(
                        CognitoException.class, e -> assertThat(e.errorType()).isEqualTo("InvalidParameterException"));

        cognito.users().adminCreateUser(pool.id(), "Alice", "Temp-pass-1", Map.of());
        cognito.users().adminCreateUser(pool.id(), "alice", "Temp-pass-1", Map.of());
        assertThat(cognito.users().adminGetUser(pool.id(), "Alice").sub())
                .isNotEqualTo(cognito.users().adminGetUser(pool.id(), "alice").sub());
    }

    @Test
    void userCreatedWithoutPasswordCannotSignInUntilOneIsSet() {
        UserPool pool = cognito.pools().createUserPool("p");
        AppClient client = cognito.pools().createAppClient(pool.id(), "app");
        cognito.users().adminCreateUser(pool.id(), "u", null, Map.of());

        assertThatThrownBy(() -> cognito.authentication()
                        .initiateAuth(
                                client.clientId(),
                                "USER_PASSWORD_AUTH",
                                Map.of("USERNAME", "u", "PASSWORD", "Anything-1")))
                .hasMessage("Incorrect username or password.");
        cognito.users().adminSetUserPassword(pool.id(), "u", "Chosen-pass-1", true);
        assertThat(cognito.authentication()
                        .initiateAuth(
                                client.clientId(),
                                "USER_PASSWORD_AUTH",
                                Map.of("USERNAME", "u", "PASSWORD", "Chosen-pass-1"))
                        .tokens())
                .isNotNull();
    }

    @Test
    void passwordsAreNotKeptInPlainText() {
        PasswordHasher hasher = new PasswordHasher(new java.security.SecureRandom());
        String hash = hasher.hash("Correct-horse-1".toCharArray());

        assertThat(hash).doesNotContain("Correct-horse-1").startsWith("pbkdf2-sha256$");
        assertThat(hasher.verify("Correct-horse-1".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("Correct-horse-2".toCharArray(), hash)).isFalse();
        assertThat(hasher.hash("Correct-horse-1".toCharArray())).isNotEqualTo(hash);
    }
}
