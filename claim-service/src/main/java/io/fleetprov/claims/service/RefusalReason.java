package io.fleetprov.claims.service;

/** Why a claim was not issued: the {@code reason} of ClaimRefused events and the problem type of the answer. */
public enum RefusalReason {
    INVALID_INPUT(400, "invalid-input", "Invalid claim request"),
    FORBIDDEN_TEMPLATE(403, "forbidden-template", "Template not allowed"),
    REPLACE_FORBIDDEN(403, "replace-forbidden", "Device replacement not allowed"),
    ALREADY_PROVISIONED(409, "already-provisioned", "Device already provisioned"),
    QUOTA(429, "quota", "Claim quota exceeded"),
    SERVICE_BUSY(503, "service-busy", "Claim service busy"),
    AWS_UNAVAILABLE(503, "aws-unavailable", "AWS IoT unavailable"),
    AWS_REJECTED(502, "aws-rejected", "AWS IoT refused the claim");

    private final int status;
    private final String code;
    private final String title;

    RefusalReason(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
