package io.fleetprov.emulator.provisioning;

/**
 * The {@code statusCode}/{@code errorCode} pairs the emulator answers on {@code /rejected} topics. AWS publishes
 * no list: only {@code 400 InvalidCertificateOwnershipToken} has been observed. The rest are the emulator's
 * choices, modelled on AWS's REST error names and HTTP statuses (UNCONFIRMED against AWS IoT Core).
 */
public final class FleetErrors {

    private FleetErrors() {}

    /** Empty, unknown, expired, already used, or issued to another client's certificate. Observed on AWS. */
    public static FleetProvisioningException invalidToken(String message) {
        return new FleetProvisioningException(400, "InvalidCertificateOwnershipToken", message);
    }

    /** Malformed JSON or CBOR, or a field of the wrong shape. */
    public static FleetProvisioningException invalidPayload(String message) {
        return new FleetProvisioningException(400, "InvalidPayload", message);
    }

    /** More than 128 KB: AWS IoT Core's message size limit. */
    public static FleetProvisioningException payloadTooLarge(String message) {
        return new FleetProvisioningException(413, "PayloadTooLarge", message);
    }

    /** A CSR that does not parse, does not verify, or uses an unsupported key. */
    public static FleetProvisioningException invalidCsr(String message) {
        return new FleetProvisioningException(400, "InvalidCsr", message);
    }

    /** Template parameter or evaluation errors; {@code errorCode} is the template engine's. */
    public static FleetProvisioningException template(String errorCode, String message) {
        return new FleetProvisioningException(400, errorCode, message);
    }

    /** Unknown template (RegisterThing) or policy named by a template. */
    public static FleetProvisioningException notFound(String message) {
        return new FleetProvisioningException(404, "ResourceNotFound", message);
    }

    /** A disabled template, or a request the caller's certificate may not make. */
    public static FleetProvisioningException invalidRequest(String message) {
        return new FleetProvisioningException(400, "InvalidRequest", message);
    }

    /** The pre-provisioning hook denied, failed or timed out: AWS documents "ACCESS_DENIED". */
    public static FleetProvisioningException accessDenied(String message) {
        return new FleetProvisioningException(403, "AccessDenied", message);
    }

    /** A template resource with OverrideSettings FAIL already exists (the developer guide's name). */
    public static FleetProvisioningException resourceConflict(String message) {
        return new FleetProvisioningException(409, "ResourceConflictsException", message);
    }

    public static FleetProvisioningException throttled(String operation) {
        return new FleetProvisioningException(429, "Throttling", "Rate exceeded for " + operation);
    }

    public static FleetProvisioningException internal(String message) {
        return new FleetProvisioningException(500, "InternalFailure", message);
    }
}
