package io.fleetprov.claims.service;

import java.time.Duration;

/** A claim request refused; {@code retryAfter} is set when coming back later can succeed. */
public class ClaimRefusedException extends RuntimeException {

    private final RefusalReason reason;
    private final Duration retryAfter;

    public ClaimRefusedException(RefusalReason reason, String detail, Duration retryAfter) {
        super(detail);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public ClaimRefusedException(RefusalReason reason, String detail) {
        this(reason, detail, null);
    }

    public RefusalReason reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
