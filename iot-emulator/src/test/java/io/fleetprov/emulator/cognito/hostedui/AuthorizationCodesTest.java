package io.fleetprov.emulator.cognito.hostedui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AuthorizationCodesTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K9XKhZbBgH9AqBrsLe6ef4PzqD";
    private static final String CALLBACK = "https://app.example.com/callback";

    // Set by hand, so expiry is tested without sleeping (the shared TestClock lives downstream of the emulator).
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private final AuthorizationCodes codes = new AuthorizationCodes(clock, new SecureRandom());

    @Test
    void aCodeIsRedeemedOnceOnly() {
        String code = codes.issue(grant(Pkce.s256(VERIFIER)));

        assertThat(codes.redeem(code, "app", CALLBACK, VERIFIER).username()).isEqualTo("alice");
        assertInvalidGrant(() -> codes.redeem(code, "app", CALLBACK, VERIFIER));
    }

    @Test
    void aCodeIsValidForFiveMinutes() {
        String early = codes.issue(grant(null));
        String late = codes.issue(grant(null));

        now.set(now.get().plus(AuthorizationCodes.VALIDITY).minusSeconds(1));
        assertThat(codes.redeem(early, "app", CALLBACK, null)).isNotNull();
        now.set(now.get().plusSeconds(1));
        assertInvalidGrant(() -> codes.redeem(late, "app", CALLBACK, null));
        assertThat(AuthorizationCodes.VALIDITY).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anotherClientCannotRedeemItAndTheRightfulClientStillCan() {
        String code = codes.issue(grant(null));

        assertInvalidGrant(() -> codes.redeem(code, "other-app", CALLBACK, null));
        assertThat(codes.redeem(code, "app", CALLBACK, null).clientId()).isEqualTo("app");
    }

    @Test
    void theRedirectUriMustBeTheAuthorizationRequestsAndTheFailureKeepsTheCode() {
        String code = codes.issue(grant(null));

        assertInvalidGrant(() -> codes.redeem(code, "app", CALLBACK + "/", null));
        assertInvalidGrant(() -> codes.redeem(code, "app", "https://evil.example/callback", null));
        assertThat(codes.redeem(code, "app", CALLBACK, null)).isNotNull();
    }

    @Test
    void aWrongVerifierIsRefusedAndTheRightOneStillWorks() {
        String code = codes.issue(grant(Pkce.s256(VERIFIER)));

        assertInvalidGrant(() -> codes.redeem(code, "app", CALLBACK, "x".repeat(43)));
        assertThat(codes.redeem(code, "app", CALLBACK, VERIFIER)).isNotNull();
    }

    @Test
    void aMissingVerifierIsInvalidRequestWhenTheRequestUsedPkce() {
        String code = codes.issue(grant(Pkce.s256(VERIFIER)));

        assertThatThrownBy(() -> codes.redeem(code, "app", CALLBACK, null))
                .isInstanceOfSatisfying(
                        OAuthError.class, e -> assertThat(e.error()).isEqualTo("invalid_request"));
        assertThat(codes.redeem(code, "app", CALLBACK, VERIFIER)).isNotNull();
    }

    @Test
    void aVerifierForACodeRequestedWithoutPkceIsRefused() {
        String code = codes.issue(grant(null));

        assertInvalidGrant(() -> codes.redeem(code, "app", CALLBACK, VERIFIER));
    }

    @Test
    void unknownCodesAreInvalidGrant() {
        assertInvalidGrant(() -> codes.redeem("no-such-code", "app", CALLBACK, null));
    }

    private AuthorizationCodes.Grant grant(String challenge) {
        return new AuthorizationCodes.Grant(
                "app", "us-east-1_Pool1", "alice", CALLBACK, "openid", null, challenge, now.get());
    }

    private static void assertInvalidGrant(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(OAuthError.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_grant");
            assertThat(e.status()).isEqualTo(400);
        });
    }
}
