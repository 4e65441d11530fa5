package io.fleetprov.simulator.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A device operation that failed, with a short stable {@code errorCode} for reports: AWS's own code when AWS
 * answered (a rejected payload's {@code errorCode}, a control-plane exception name), otherwise one of the codes
 * below for what the transport saw.
 */
public class DeviceException extends RuntimeException {

    public static final String TIMEOUT = "Timeout";
    public static final String TLS_HANDSHAKE = "TlsHandshakeFailed";
    public static final String CONNECTION_REFUSED = "ConnectionRefused";
    public static final String CONNECTION_LOST = "ConnectionLost";
    public static final String SUBSCRIBE_REFUSED = "SubscribeRefused";
    /** MQTT 5 only: a PUBACK with a failure reason code (MQTT 3.1.1 brokers close the connection instead). */
    public static final String PUBLISH_REFUSED = "PublishRefused";

    public static final String CLIENT_ERROR = "ClientError";

    private final String errorCode;
    private final int statusCode;
    private final Duration retryAfter;

    public DeviceException(String errorCode, int statusCode, String message, Throwable cause) {
        this(errorCode, statusCode, null, message, cause);
    }

    /** @param retryAfter how long the server asked us to wait before trying again ({@code Retry-After}); or null */
    public DeviceException(String errorCode, int statusCode, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    public DeviceException(String errorCode, String message, Throwable cause) {
        this(errorCode, 0, message, cause);
    }

    public String errorCode() {
        return errorCode;
    }

    /** The wait the server asked for with {@code Retry-After}, if it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The AWS {@code statusCode} or HTTP status, 0 when there was none. */
    public int statusCode() {
        return statusCode;
    }

    /**
     * "Try again later": AWS answers throttled fleet-provisioning requests with 429/Throttling, control-plane ones
     * with ThrottlingException; claim-service answers 429 over quota and 503 + Retry-After when it or AWS is
     * saturated. All are retried with backoff and counted as throttling.
     */
    public boolean isThrottling() {
        return statusCode == 429
                || statusCode == 503
                || "Throttling".equals(errorCode)
                || "ThrottlingException".equals(errorCode)
                || "TooManyRequestsException".equals(errorCode)
                || "ServiceUnavailableException".equals(errorCode);
    }
}
