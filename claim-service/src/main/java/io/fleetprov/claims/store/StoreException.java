package io.fleetprov.claims.store;

import java.sql.SQLException;

/** A database failure; the API answers 503 for it. */
public class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
