package io.fleetprov.emulator.registry;

/** A registry operation refused with the AWS error it would answer. */
public class RegistryException extends RuntimeException {

    private final ErrorType type;

    public RegistryException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(ErrorType.ResourceNotFoundException, message);
    }

    public static RegistryException alreadyExists(String message) {
        return new RegistryException(ErrorType.ResourceAlreadyExistsException, message);
    }

    public static RegistryException invalid(String message) {
        return new RegistryException(ErrorType.InvalidRequestException, message);
    }
}
