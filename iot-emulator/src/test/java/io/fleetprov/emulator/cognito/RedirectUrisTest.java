package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectUrisTest {

    private static final List<String> REGISTERED =
            List.of("https://app.example.com/callback", "http://localhost:8080/cb?tenant=a", "myapp://signed-in");

    @Test
    void aRegisteredUriMatches() {
        REGISTERED.forEach(
                uri -> assertThat(RedirectUris.matches(REGISTERED, uri)).isTrue());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://app.example.com/callback/", // trailing slash
                "https://app.example.com/callbackx", // prefix
                "https://app.example.com/callback/../evil",
                "https://APP.example.com/callback", // case
                "HTTPS://app.example.com/callback",
                "https://app.example.com/callback?x=1", // added query
                "https://app.example.com/callback#frag",
                "https://app.example.com:443/callback", // explicit default port
                "https://app.example.com.evil.example/callback",
                "https://evil.example/?https://app.example.com/callback",
                "http://app.example.com/callback", // downgraded scheme
                "http://localhost:8080/cb", // query dropped
                "http://localhost:8080/cb?tenant=b",
                "https://app.example.com/%63allback", // percent-encoded equivalent
                ""
            })
    void anythingElseDoesNot(String requested) {
        assertThat(RedirectUris.matches(REGISTERED, requested)).isFalse();
    }

    @Test
    void nullNeverMatches() {
        assertThat(RedirectUris.matches(REGISTERED, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://app.example.com/callback",
                "http://localhost/cb",
                "http://localhost:3000/cb?x=1",
                "myapp://signed-in"
            })
    void registrableUris(String uri) {
        assertThatCode(() -> RedirectUris.requireRegistrable("callbackURLs", uri))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://app.example.com/callback", // HTTP beyond localhost
                "http://127.0.0.1:8080/cb", // Cognito allows plain HTTP for localhost only
                "https://app.example.com/callback#fragment",
                "/relative/callback",
                "https://",
                "not a uri"
            })
    void unregistrableUris(String uri) {
        assertThatThrownBy(() -> RedirectUris.requireRegistrable("callbackURLs", uri))
                .isInstanceOf(CognitoException.class)
                .extracting(e -> ((CognitoException) e).errorType())
                .isEqualTo("InvalidParameterException");
    }

    @Test
    void originIsWhatACspFormActionNames() {
        assertThat(RedirectUris.origin("https://app.example.com:8443/cb?x=1"))
                .isEqualTo("https://app.example.com:8443");
        assertThat(RedirectUris.origin("myapp://signed-in")).isEqualTo("myapp://signed-in");
        assertThat(RedirectUris.origin("myapp:/cb")).isEqualTo("myapp:");
    }
}
