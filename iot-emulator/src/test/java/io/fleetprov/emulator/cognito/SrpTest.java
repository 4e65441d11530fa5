package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server side of SRP against a vector computed by amazon-cognito-identity-js 6.3.12's AuthenticationHelper
 * ({@code src/test/node/srp-vector.js} prints it): same k, verifier, B, key and signature.
 */
class SrpTest {

    private static JsonNode vector;

    @BeforeAll
    static void readVector() throws Exception {
        try (InputStream in = SrpTest.class.getResourceAsStream("srp-vector.json")) {
            vector = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void multiplierIsTheLibrarysK() {
        assertThat(Srp.K).isEqualTo(hex("k"));
        assertThat(Srp.N.bitLength()).isEqualTo(3072);
    }

    @Test
    void verifierAndServerValueMatchTheLibrary() {
        Srp.Verifier verifier = vectorVerifier();
        assertThat(verifier.verifier()).isEqualTo(hex("verifier"));
        assertThat(Srp.serverStep(verifier, hex("smallB")).largeB()).isEqualTo(hex("B"));
    }

    @Test
    void serverDerivesTheClientsKeyAndSignature() {
        Srp.Verifier verifier = vectorVerifier();
        Srp.ServerStep step = Srp.serverStep(verifier, hex("smallB"));

        byte[] key = Srp.key(hex("A"), verifier, step);

        assertThat(HexFormat.of().formatHex(key)).isEqualTo(vector.get("hkdf").asText());
        byte[] signature = Srp.signature(
                key,
                vector.get("poolName").asText(),
                vector.get("username").asText(),
                Base64.getDecoder().decode(vector.get("secretBlock").asText()),
                vector.get("timestamp").asText());
        assertThat(Base64.getEncoder().encodeToString(signature))
                .isEqualTo(vector.get("signature").asText());
    }

    @Test
    void aWrongPasswordGivesAnotherKey() {
        Srp.Verifier wrong = Srp.verifier(
                vector.get("poolName").asText(),
                vector.get("username").asText(),
                "Wrong-horse-1".toCharArray(),
                hex("salt"));
        byte[] key = Srp.key(hex("A"), wrong, Srp.serverStep(wrong, hex("smallB")));
        assertThat(HexFormat.of().formatHex(key))
                .isNotEqualTo(vector.get("hkdf").asText());
    }

    @Test
    void degenerateClientValuesAreRefused() {
        assertThat(Srp.acceptable(BigInteger.ZERO)).isFalse();
        assertThat(Srp.acceptable(Srp.N)).isFalse();
        assertThat(Srp.acceptable(Srp.N.multiply(BigInteger.TWO))).isFalse();
        assertThat(Srp.acceptable(hex("A"))).isTrue();
    }

    @Test
    void freshVerifiersAreSaltedAndServerValuesRandom() {
        SecureRandom random = new SecureRandom();
        char[] password = "Correct-horse-1".toCharArray();
        Srp.Verifier one = Srp.verifier("Pool", "alice", password, random);
        Srp.Verifier two = Srp.verifier("Pool", "alice", password, random);
        assertThat(one.salt()).isNotEqualTo(two.salt());
        assertThat(one.verifier()).isNotEqualTo(two.verifier());
        assertThat(Srp.serverStep(one, random).largeB())
                .isNotEqualTo(Srp.serverStep(one, random).largeB());
        assertThat(Srp.poolName("us-east-1_Vector1")).isEqualTo("Vector1");
    }

    private static Srp.Verifier vectorVerifier() {
        return Srp.verifier(
                vector.get("poolName").asText(),
                vector.get("username").asText(),
                vector.get("password").asText().toCharArray(),
                hex("salt"));
    }

    private static BigInteger hex(String field) {
        return new BigInteger(vector.get(field).asText(), 16);
    }
}
