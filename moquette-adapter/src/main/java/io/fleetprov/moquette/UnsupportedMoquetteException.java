package io.fleetprov.moquette;

/** The Moquette on the class path is not the one this adapter was written against. */
public final class UnsupportedMoquetteException extends IllegalStateException {

    public UnsupportedMoquetteException(String message) {
        super(message);
    }

    public UnsupportedMoquetteException(String message, Throwable cause) {
        super(message, cause);
    }
}
