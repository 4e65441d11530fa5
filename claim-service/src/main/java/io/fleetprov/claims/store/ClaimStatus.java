package io.fleetprov.claims.store;

/** Where a claim is in its life. PENDING is internal: AWS has not answered yet. */
public enum ClaimStatus {
    PENDING,
    ISSUED,
    USED,
    EXPIRED,
    DENIED
}
