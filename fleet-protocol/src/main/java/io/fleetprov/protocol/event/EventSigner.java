package io.fleetprov.protocol.event;

import io.fleetprov.protocol.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Objects;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Signs event envelopes as compact JWS (ES256) with header {@code {"alg":"ES256","kid":…,"typ":…}}; see
 * {@link SignedEvent} for the format and {@link EventVerifier} for the other side.
 */
public final class EventSigner {

    private final String keyId;
    private final PrivateKey key;

    /** {@code keyId} names this key to consumers, which trust it under that name. */
    public EventSigner(String keyId, PrivateKey key) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("an event signer needs a key id (kid)");
        }
        this.keyId = keyId;
        this.key = Objects.requireNonNull(key, "key");
    }

    /** Reads the {@code PRIVATE KEY} block of {@code pem}. */
    public static EventSigner fromPem(String keyId, String pem) {
        return new EventSigner(keyId, EventKeys.privateKey(pem));
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
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayloadBytes(envelope);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", SignedEvent.TYPE);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an event with key " + keyId, e);
        }
    }

    /** {@link #sign(byte[])} as the bytes an MQTT message carries. */
    public byte[] signToBytes(FleetEvent event) {
        return sign(event).getBytes(StandardCharsets.US_ASCII);
    }
}
