package io.fleetprov.protocol.codec;

/** A payload that could not be decoded; {@link #reason()} says why, the message says where. */
public class PayloadException extends RuntimeException {

    public enum Reason {
        /** Not valid JSON/CBOR, or not the expected shape. */
        MALFORMED,
        /** Larger than {@link PayloadCodec#MAX_PAYLOAD_BYTES}. */
        OVERSIZED
    }

    private final Reason reason;

    public PayloadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
