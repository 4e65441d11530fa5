package io.fleetprov.claims.client;

import java.time.Duration;

/** A call the service-wide bulkhead or rate limit refused: this service is at its own limit, AWS was not asked. */
public class CallLimitException extends RuntimeException {

    private final Duration retryAfter;

    public CallLimitException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When coming back can succeed: the end of the rate limit's window, or a guess for a full bulkhead. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
