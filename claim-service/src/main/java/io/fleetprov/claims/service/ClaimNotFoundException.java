package io.fleetprov.claims.service;

/** No such claim, or not one the caller may see (the two are not told apart). */
public class ClaimNotFoundException extends RuntimeException {

    public ClaimNotFoundException(String certificateId) {
        super("no claim " + certificateId + " visible to the caller");
    }
}
