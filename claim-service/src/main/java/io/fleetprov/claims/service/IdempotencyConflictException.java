package io.fleetprov.claims.service;

import java.time.Duration;

/** The Idempotency-Key was used for a different request, is still in flight, or its claim is gone. */
public class IdempotencyConflictException extends RuntimeException {

    private final Duration retryAfter;

    public IdempotencyConflictException(String detail, Duration retryAfter) {
        super(detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
