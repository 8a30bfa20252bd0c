package io.gridsync.server.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/** The pool's source of new connections when each must first be handed to a {@link Database.ConnectionHook}. */
final class HookedDataSource implements DataSource {

    private final String url;
    private final Properties props;
    private final Database.ConnectionHook onOpen;

    HookedDataSource(String url, String user, String password, Properties props, Database.ConnectionHook onOpen) {
        this.url = url;
        this.props = new Properties();
        this.props.putAll(props);
        if (user != null) {
            this.props.setProperty("user", user);
        }
        if (password != null) {
            this.props.setProperty("password", password);
        }
        this.onOpen = onOpen;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        try {
            onOpen.opened(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
