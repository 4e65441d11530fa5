package io.fleetprov.audit.store;

import java.sql.SQLException;

/** The database failed a read; the API answers 503. */
public class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
