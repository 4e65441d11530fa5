package io.fleetprov.protocol.event;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Verifies signed events against trusted public keys, each trusted under its {@code kid}. Only ES256 is accepted
 * (never {@code none}, never an HMAC that a public key could be abused as the secret of), the header must name a
 * trusted key and the {@code typ} of an event, and the signature must cover the envelope as received.
 */
public final class EventVerifier {

    /** Three base64url parts: a compact JWS with an attached payload. Anything else is not a signed event. */
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final Map<String, PublicKey> trusted;

    public EventVerifier(Map<String, PublicKey> trusted) {
        this.trusted = Map.copyOf(trusted);
    }

    /** The kids this verifier trusts. */
    public Set<String> trustedKeyIds() {
        return trusted.keySet();
    }

    /** The verified event, or an {@link EventSignatureException} saying why the message is not one. */
    public SignedEvent verify(byte[] message) {
        String compact = compact(message);
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(compact);
        } catch (JoseException e) {
            throw new EventSignatureException("not a compact JWS");
        }
        if (!SignedEvent.ALGORITHM.equals(jws.getAlgorithmHeaderValue())) {
            throw new EventSignatureException("the JWS algorithm is not " + SignedEvent.ALGORITHM);
        }
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null || kid.isBlank()) {
            throw new EventSignatureException("the JWS header names no key (kid)");
        }
        PublicKey key = trusted.get(kid);
        if (key == null) {
            throw new EventSignatureException("signed by an untrusted key");
        }
        if (!SignedEvent.TYPE.equals(jws.getHeader("typ"))) {
            throw new EventSignatureException("the JWS is not a fleetprov event (typ)");
        }
        jws.setKey(key);
        try {
            if (!jws.verifySignature()) {
                throw new EventSignatureException("the signature does not verify with key " + kid);
            }
            return new SignedEvent(kid, jws.getPayloadBytes());
        } catch (JoseException e) {
            // Thrown for an algorithm outside the constraints, a critical header we do not know, or a bad key.
            throw new EventSignatureException("the JWS cannot be verified (its header or key is not acceptable)");
        }
    }

    /**
     * The envelope a compact JWS carries, <em>without</em> checking its signature: only for a producer that compares
     * the whole message with what it sent itself.
     */
    public static byte[] unverifiedEnvelope(byte[] message) {
        String[] parts = compact(message).split("\\.");
        try {
            return Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new EventSignatureException("not a compact JWS");
        }
    }

    private static String compact(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII).strip();
        if (!COMPACT.matcher(text).matches()) {
            throw new EventSignatureException(
                    text.startsWith("{") ? "unsigned (a bare JSON envelope)" : "not a compact JWS");
        }
        return text;
    }
}
