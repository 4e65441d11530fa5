package io.fleetprov.emulator.cognito;

/**
 * A Cognito error as the service reports it: the error type name goes into {@code x-amzn-ErrorType} and
 * {@code __type}, which is what the AWS SDKs map to their typed exceptions.
 */
public class CognitoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorType;
    private final int httpStatus;

    public CognitoException(String errorType, int httpStatus, String message) {
        super(message);
        this.errorType = errorType;
        this.httpStatus = httpStatus;
    }

    public String errorType() {
        return errorType;
    }

    public int httpStatus() {
        return httpStatus;
    }

    // Cognito answers every client error with HTTP 400; only the type name tells them apart.

    static CognitoException notAuthorized(String message) {
        return new CognitoException("NotAuthorizedException", 400, message);
    }

    static CognitoException userNotFound() {
        return new CognitoException("UserNotFoundException", 400, "User does not exist.");
    }

    static CognitoException usernameExists() {
        return new CognitoException("UsernameExistsException", 400, "User account already exists");
    }

    static CognitoException resourceNotFound(String message) {
        return new CognitoException("ResourceNotFoundException", 400, message);
    }

    static CognitoException invalidParameter(String message) {
        return new CognitoException("InvalidParameterException", 400, message);
    }

    static CognitoException invalidPassword(String message) {
        return new CognitoException("InvalidPasswordException", 400, message);
    }

    static CognitoException groupExists(String message) {
        return new CognitoException("GroupExistsException", 400, message);
    }

    static CognitoException unknownOperation(String message) {
        return new CognitoException("UnknownOperationException", 400, message);
    }

    static CognitoException serialization(String message) {
        return new CognitoException("SerializationException", 400, message);
    }

    static CognitoException internalError() {
        return new CognitoException("InternalErrorException", 500, "Internal error");
    }
}
