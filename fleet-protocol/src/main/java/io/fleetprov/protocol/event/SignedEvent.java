package io.fleetprov.protocol.event;

import io.fleetprov.protocol.codec.PayloadCodec;

/**
 * A fleetprov event whose signature was verified: the {@code kid} of the key that signed it and the envelope bytes
 * exactly as signed. The wire form is a compact JWS (RFC 7515) whose payload is the unchanged JSON envelope
 * ({@link FleetEvent}), so a consumer that hashes or stores the envelope sees the same bytes as before signing.
 */
public record SignedEvent(String signer, byte[] envelope) {

    /** The JWS {@code alg}: ECDSA with P-256 and SHA-256. No other is accepted. */
    public static final String ALGORITHM = "ES256";

    /** The JWS {@code typ}, so a signed event cannot be mistaken for another JWS the same key might sign. */
    public static final String TYPE = "fleetprov-event+jws";

    public SignedEvent {
        envelope = envelope.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    /** The envelope read with fleet-protocol's codec. */
    public FleetEvent event() {
        return PayloadCodec.json().decode(envelope, FleetEvent.class);
    }
}
