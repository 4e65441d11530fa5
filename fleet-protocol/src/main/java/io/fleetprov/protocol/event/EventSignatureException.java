package io.fleetprov.protocol.event;

/**
 * A message on {@code fleetprov/events/*} that is not a validly signed event: unsigned, signed with an algorithm
 * other than ES256, by a key that is not trusted, or altered after signing. The message says which, in words safe
 * to store and log (it never quotes the message).
 */
public class EventSignatureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventSignatureException(String message) {
        super(message);
    }
}
