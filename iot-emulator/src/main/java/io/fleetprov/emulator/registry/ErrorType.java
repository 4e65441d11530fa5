package io.fleetprov.emulator.registry;

/** AWS IoT control-plane error types with the HTTP status AWS's service model gives each. */
public enum ErrorType {
    InvalidRequestException(400),
    MalformedPolicyException(400),
    CertificateValidationException(400),
    ThrottlingException(400),
    UnauthorizedException(401),
    ResourceNotFoundException(404),
    CertificateStateException(406),
    ResourceAlreadyExistsException(409),
    CertificateConflictException(409),
    DeleteConflictException(409),
    VersionConflictException(409),
    VersionsLimitExceededException(409),
    LimitExceededException(410),
    InternalFailureException(500),
    ServiceUnavailableException(503);

    private final int httpStatus;

    ErrorType(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
