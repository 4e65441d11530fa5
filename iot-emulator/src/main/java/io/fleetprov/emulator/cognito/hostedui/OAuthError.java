package io.fleetprov.emulator.cognito.hostedui;

/** An OAuth 2.0 error response (RFC 6749 §5.2) of the token, userInfo or revoke endpoint. */
final class OAuthError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final int status;

    OAuthError(String error, int status, String description) {
        super(description);
        this.error = error;
        this.status = status;
    }

    String error() {
        return error;
    }

    int status() {
        return status;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", 400, description);
    }

    /** 401, as RFC 6749 asks when the client authenticated (or should have) with the Authorization header. */
    static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", 401, description);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", 400, description);
    }

    static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", 400, description);
    }

    static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", 400, description);
    }

    static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", 400, description);
    }
}
