package io.fleetprov.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.protocol.contract.Contracts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

class EventSignaturesTest {

    private static final String PEM = Contracts.eventSigningKey();
    private static final EventVerifier VERIFIER =
            new EventVerifier(Map.of(Contracts.EVENT_SIGNING_KEY_ID, EventKeys.publicKey(PEM)));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void goldenSignedEventCarriesTheGoldenEnvelopeUnchanged() {
        SignedEvent signed = VERIFIER.verify(Contracts.signedEvent());

        assertThat(signed.signer()).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertThat(signed.envelope()).isEqualTo(Contracts.event(EventType.CLAIM_ISSUED));
        assertThat(signed.event().type()).isEqualTo(EventType.CLAIM_ISSUED);
    }

    @Test
    void goldenHeaderNamesAlgorithmKeyAndTypeOnly() {
        JsonNode header = header(new String(Contracts.signedEvent(), StandardCharsets.US_ASCII).strip());

        assertThat(Contracts.fieldNames(header)).containsExactlyInAnyOrder("alg", "kid", "typ");
        assertThat(header.get("alg").asText()).isEqualTo(SignedEvent.ALGORITHM);
        assertThat(header.get("typ").asText()).isEqualTo(SignedEvent.TYPE);
    }

    @Test
    void signerOutputVerifiesAndKeepsTheEnvelopeBytes() {
        byte[] envelope = Contracts.event(EventType.HOOK_DECISION);
        String jws = EventSigner.fromPem("k1", PEM).sign(envelope);

        SignedEvent signed = new EventVerifier(Map.of("k1", EventKeys.publicKey(PEM)))
                .verify(jws.getBytes(StandardCharsets.US_ASCII));

        assertThat(signed.envelope()).isEqualTo(envelope);
        assertThat(EventVerifier.unverifiedEnvelope(jws.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(envelope);
    }

    @Test
    void bareJsonEnvelopeIsUnsigned() {
        assertRefused(Contracts.event(EventType.CLAIM_ISSUED), "unsigned");
    }

    @Test
    void onlyThreeNonEmptyBase64UrlPartsAreACompactJws() {
        String[] parts = golden();
        String jws = String.join(".", parts);
        assertThat(VERIFIER.verify((" \t" + jws + "\r\n").getBytes(StandardCharsets.US_ASCII)))
                .isNotNull();
        assertRefused("." + parts[1] + "." + parts[2], "not a compact JWS");
        assertRefused(parts[0] + ".." + parts[2], "not a compact JWS");
        assertRefused(jws + ".", "not a compact JWS");
        assertRefused(jws + "." + parts[2], "not a compact JWS");
        assertRefused(parts[0] + "." + parts[1] + "=." + parts[2], "not a compact JWS");
        assertRefused(parts[0] + "." + parts[1] + " ." + parts[2], "not a compact JWS");
        byte[] nonAscii = jws.getBytes(StandardCharsets.US_ASCII);
        nonAscii[parts[0].length() + 5] = (byte) 0xc1; // 'A' with the high bit set
        assertRefused(nonAscii, "not a compact JWS");
        assertRefused("   ", "not a compact JWS");
    }

    @Test
    void keyNotTrustedIsRefused() {
        KeyPair other = EventKeys.generate();
        String impostor = new EventSigner(Contracts.EVENT_SIGNING_KEY_ID, other.getPrivate())
                .sign(Contracts.event(EventType.CLAIM_ISSUED));
        assertRefused(impostor, "does not verify");

        String unknownKid =
                new EventSigner("someone-else", other.getPrivate()).sign(Contracts.event(EventType.CLAIM_ISSUED));
        assertRefused(unknownKid, "untrusted key");
    }

    @Test
    void envelopeAlteredAfterSigningIsRefused() {
        String[] parts = golden();
        String altered = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("SN-0001", "SN-0002");
        assertRefused(
                parts[0] + "." + B64.encodeToString(altered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                "does not verify");
    }

    @Test
    void algorithmNoneIsRefused() {
        String header = "{\"alg\":\"none\",\"kid\":\"" + Contracts.EVENT_SIGNING_KEY_ID + "\",\"typ\":\""
                + SignedEvent.TYPE + "\"}";
        String[] parts = golden();
        assertRefused(b64(header) + "." + parts[1] + ".", "not a compact JWS");
        assertRefused(b64(header) + "." + parts[1] + ".AAAA", "algorithm is not ES256");
    }

    @Test
    void hmacKeyedWithThePublicKeyIsRefused() throws Exception {
        // The classic confusion attack: HS256 with the (public) verification key as the HMAC secret.
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + Contracts.EVENT_SIGNING_KEY_ID + "\",\"typ\":\""
                + SignedEvent.TYPE + "\"}";
        String input = b64(header) + "." + golden()[1];
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(EventKeys.publicKey(PEM).getEncoded(), "HmacSHA256"));
        String jws = input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        assertRefused(jws, "algorithm is not ES256");
    }

    @Test
    void anotherJwsTypeOfTheSameKeyIsRefused() {
        String[] parts = golden();
        String noType = "{\"alg\":\"ES256\",\"kid\":\"" + Contracts.EVENT_SIGNING_KEY_ID + "\"}";
        assertRefused(b64(noType) + "." + parts[1] + "." + parts[2], "typ");
    }

    @Test
    void signerOutputIsStandardEs256ThatJose4jAndTheJdkVerify() throws Exception {
        String jws =
                EventSigner.fromPem(Contracts.EVENT_SIGNING_KEY_ID, PEM).sign(Contracts.event(EventType.CLAIM_ISSUED));

        JsonWebSignature other = new JsonWebSignature();
        other.setAlgorithmConstraints(new AlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        other.setCompactSerialization(jws);
        other.setKey(EventKeys.publicKey(PEM));

        assertThat(other.verifySignature()).isTrue();
        assertThat(other.getPayloadBytes()).isEqualTo(Contracts.event(EventType.CLAIM_ISSUED));
    }

    @Test
    void es256ByJose4jAndTheJdkVerifies() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayloadBytes(Contracts.event(EventType.HOOK_DECISION));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(Contracts.EVENT_SIGNING_KEY_ID);
        jws.setHeader("typ", SignedEvent.TYPE);
        jws.setKey(EventKeys.privateKey(PEM));

        SignedEvent signed = VERIFIER.verify(jws.getCompactSerialization().getBytes(StandardCharsets.US_ASCII));

        assertThat(signed.envelope()).isEqualTo(Contracts.event(EventType.HOOK_DECISION));
    }

    @Test
    void signatureOfTheWrongLengthIsRefused() {
        String[] parts = golden();
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        // DER, as a JCA signature would be, instead of R and S: not ES256 on the wire.
        byte[] longer = Arrays.copyOf(signature, signature.length + 1);
        byte[] shorter = Arrays.copyOf(signature, signature.length - 1);
        assertRefused(parts[0] + "." + parts[1] + "." + B64.encodeToString(longer), "does not verify");
        assertRefused(parts[0] + "." + parts[1] + "." + B64.encodeToString(shorter), "does not verify");
        byte[] zero = new byte[64];
        assertRefused(parts[0] + "." + parts[1] + "." + B64.encodeToString(zero), "does not verify");
    }

    @Test
    void criticalOrUnencodedPayloadHeaderIsRefused() {
        String[] parts = golden();
        for (String extra :
                List.of("\"crit\":[\"b64\"],\"b64\":false", "\"crit\":[\"exp\"],\"exp\":1", "\"b64\":true")) {
            String header = "{\"alg\":\"ES256\",\"kid\":\"" + Contracts.EVENT_SIGNING_KEY_ID + "\",\"typ\":\""
                    + SignedEvent.TYPE + "\"," + extra + "}";
            assertRefused(b64(header) + "." + parts[1] + "." + parts[2], "header or key is not acceptable");
        }
    }

    @Test
    void keyOnAnotherCurveIsNotTrusted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = generator.generateKeyPair();

        assertThatThrownBy(() -> new EventVerifier(Map.of("k", p384.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> new EventSigner("k", p384.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P-256");
    }

    @Test
    void pemFlattenedOntoOneLineReadsTheSame() {
        String flat = PEM.replace('\n', ' ');
        assertThat(EventKeys.publicKey(flat)).isEqualTo(EventKeys.publicKey(PEM));
        assertThat(EventKeys.privateKey(flat)).isEqualTo(EventKeys.privateKey(PEM));
        assertThat(EventKeys.isPem(flat)).isTrue();
        assertThat(EventKeys.isPem("/etc/keys/event.pem")).isFalse();
    }

    private static void assertRefused(String message, String why) {
        assertRefused(message.getBytes(StandardCharsets.US_ASCII), why);
    }

    private static void assertRefused(byte[] message, String why) {
        assertThatThrownBy(() -> VERIFIER.verify(message))
                .isInstanceOf(EventSignatureException.class)
                .hasMessageContaining(why);
    }

    private static String[] golden() {
        return new String(Contracts.signedEvent(), StandardCharsets.US_ASCII)
                .strip()
                .split("\\.");
    }

    private static JsonNode header(String compact) {
        return Contracts.tree(Base64.getUrlDecoder().decode(compact.split("\\.")[0]));
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
