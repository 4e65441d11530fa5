package io.fleetprov.emulator.cognito.hostedui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    // Computed independently (Python hashlib + base64.urlsafe_b64encode, padding stripped).
    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K9XKhZbBgH9AqBrsLe6ef4PzqD";
    private static final String CHALLENGE = "Ncvdb6FG1JXymEIwhyz-I8AopaJvRIK2ar5x8-xQpb4";

    @Test
    void s256IsBase64UrlOfSha256WithoutPadding() {
        assertThat(Pkce.s256(VERIFIER)).isEqualTo(CHALLENGE);
        assertThat(Pkce.isWellFormedChallenge(CHALLENGE)).isTrue();
    }

    @Test
    void theMatchingVerifierVerifies() {
        assertThat(Pkce.verifies(CHALLENGE, VERIFIER)).isTrue();
    }

    @Test
    void anotherVerifierDoesNot() {
        assertThat(Pkce.verifies(CHALLENGE, VERIFIER.substring(0, 42) + "E")).isFalse();
    }

    @Test
    void theChallengeItselfIsNotAVerifier() {
        // The "plain" method, which Cognito does not support: sending the challenge back as the verifier.
        assertThat(Pkce.verifies(CHALLENGE, CHALLENGE)).isFalse();
    }

    @Test
    void malformedVerifiersAreRefusedWhateverTheyHashTo() {
        String tooShort = VERIFIER.substring(0, 42);
        String tooLong = "a".repeat(129);
        String badCharacter = VERIFIER.substring(0, 42) + "+";

        for (String verifier : new String[] {tooShort, tooLong, badCharacter, "", null}) {
            assertThat(Pkce.verifies(verifier == null ? CHALLENGE : Pkce.s256(verifier), verifier))
                    .as("verifier %s", verifier)
                    .isFalse();
        }
    }

    @Test
    void noChallengeVerifiesNothing() {
        assertThat(Pkce.verifies(null, VERIFIER)).isFalse();
        assertThat(Pkce.isWellFormedChallenge(null)).isFalse();
        assertThat(Pkce.isWellFormedChallenge(CHALLENGE + "=")).isFalse();
        assertThat(Pkce.isWellFormedChallenge("plain-text-challenge")).isFalse();
    }
}
