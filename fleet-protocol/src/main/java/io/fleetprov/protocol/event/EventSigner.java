package io.fleetprov.protocol.event;

import io.fleetprov.protocol.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;

/**
 * Signs event envelopes as compact JWS (ES256) with header {@code {"alg":"ES256","kid":…,"typ":…}}; see
 * {@link SignedEvent} for the format and {@link EventVerifier} for the other side.
 */
public final class EventSigner {

    private final String keyId;
    private final Es256.Signing key;

    /** {@code keyId} names this key to consumers, which trust it under that name. */
    public EventSigner(String keyId, PrivateKey key) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("an event signer needs a key id (kid)");
        }
        this.keyId = keyId;
        this.key = Es256.signing(Objects.requireNonNull(key, "key"));
    }

    /** Reads the {@code PRIVATE KEY} block of {@code pem}. */
    public static EventSigner fromPem(String keyId, String pem) {
        return new EventSigner(keyId, EventKeys.privateKey(pem));
    }

    /**
     * A verifier that trusts this signer's own key under its kid, and nothing else: for a producer that checks that a
     * message routed back to it is one it signed itself, such as an echo confirming a {@link SignedBatch}.
     */
    public EventVerifier selfVerifier() {
        return new EventVerifier(keyId, Es256.verifying(key));
    }

    public String keyId() {
        return keyId;
    }

    /** The compact JWS of {@code event}'s JSON envelope. */
    public String sign(FleetEvent event) {
        return sign(PayloadCodec.json().encode(event));
    }

    /** The compact JWS whose payload is exactly {@code envelope}. */
    public String sign(byte[] envelope) {
        return sign(envelope, SignedEvent.TYPE);
    }

    /**
     * One {@link SignedBatch} of these envelopes (1 to {@link SignedBatch#MAX_EVENTS}, each compact JSON), in this
     * order, under one signature.
     */
    public String signBatch(List<byte[]> envelopes) {
        return sign(SignedBatch.payload(envelopes), SignedBatch.TYPE);
    }

    private String sign(byte[] payload, String type) {
        // jose4j writes the header; the JDK's encoder the payload (profiled in the outbox relay, jose4j's encoding of a
        // batch took about as long as signing it); the signature is Es256's (see there for why).
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", type);
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String input = jws.getHeaders().getEncodedHeader() + "." + base64url.encodeToString(payload);
        byte[] signature = Es256.sign(key, input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + base64url.encodeToString(signature);
    }

    /** {@link #sign(byte[])} as the bytes an MQTT message carries. */
    public byte[] signToBytes(FleetEvent event) {
        return sign(event).getBytes(StandardCharsets.US_ASCII);
    }
}
