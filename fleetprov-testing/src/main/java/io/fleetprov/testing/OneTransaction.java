package io.fleetprov.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A store's statements inside one open transaction of one connection, and the rows they read: PostgreSQL counts a
 * session's reads exactly ({@code pg_stat_xact_user_tables}), so a test can bound them instead of timing them.
 */
public final class OneTransaction {

    private OneTransaction() {}

    /**
     * A data source of {@code type} (a {@link DataSource}, or an interface extending it) whose {@code getConnection}
     * hands out {@code c} and leaves it open; its other methods answer null.
     */
    public static <T extends DataSource> T dataSource(Connection c, Class<T> type) {
        Connection kept = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("close") ? null : invoke(c, method, args));
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("getConnection") ? kept : null));
    }

    /**
     * Rows of {@code table} the session of {@code c} has read, by scans and through indexes, since PostgreSQL last
     * added its counts to the cumulative statistics (at a transaction's end, at most every 500 ms): compare two
     * readings taken within one transaction.
     */
    public static long rowsRead(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(sum(seq_tup_read), 0) + coalesce(sum(idx_tup_fetch), 0)"
                        + " from pg_stat_xact_user_tables where relname = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Object invoke(Connection c, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(c, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
