package io.fleetprov.audit.service;

/** An event that cannot enter the log; its message is the quarantine reason. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String reason) {
        super(reason);
    }
}
