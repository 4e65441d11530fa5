package io.fleetprov.audit.store;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * Why an append failed, and so what the writer does about it. PostgreSQL's SQLSTATE classes 22 (data exception),
 * 23 (integrity constraint) and 54 (program limit, e.g. an index row or a JSON document too large or too deep) are
 * the rows' own fault: retrying them can never succeed, so they are isolated and quarantined. So is an exception our
 * own code throws while turning a row into a chain link (a number JCS cannot canonicalize, say). Everything else —
 * classes 08 (connection) and 57 (operator intervention: shutdown, cancel), no connection from the pool, a
 * serialization failure — is the database not taking writes right now: the writer pauses and tries again.
 */
public record WriteFailure(Kind kind, String sqlState, String message) {

    public enum Kind {
        /** The database is unreachable or refusing work: pause ingest, retry the same rows. */
        OUTAGE,
        /** The rows themselves cannot be stored: find the offending one and quarantine it. */
        DATA
    }

    private static final int MAX_MESSAGE = 500;

    public static WriteFailure of(Throwable failure) {
        if (failure instanceof SQLException sql) {
            String state = sqlState(sql);
            String message = firstLine(detail(sql));
            if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))) {
                return new WriteFailure(Kind.DATA, state, message);
            }
            return new WriteFailure(Kind.OUTAGE, state, message);
        }
        if (failure instanceof RuntimeException) {
            return new WriteFailure(Kind.DATA, null, firstLine(String.valueOf(failure)));
        }
        // AssertionError: with assertions on (as in tests), pgjdbc asserts on a connection that the database closed
        // under it, where it would otherwise throw an SQLException.
        return new WriteFailure(Kind.OUTAGE, null, firstLine(String.valueOf(failure)));
    }

    public boolean isOutage() {
        return kind == Kind.OUTAGE;
    }

    /** For logs, health data and quarantine reasons: the SQLSTATE, when there is one, then the message. */
    public String describe() {
        return sqlState == null ? message : sqlState + " " + message;
    }

    /** pgjdbc reports a failed batch as a BatchUpdateException whose next exception carries the server's error. */
    private static String sqlState(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null && !(s instanceof BatchUpdateException && s.getNextException() != null)) {
                return s.getSQLState();
            }
        }
        return e.getSQLState();
    }

    private static String detail(SQLException e) {
        SQLException next = e.getNextException();
        return e instanceof BatchUpdateException && next != null ? next.getMessage() : e.getMessage();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "…";
    }
}
