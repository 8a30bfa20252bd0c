package io.gridsync.server.ledger;

import io.gridsync.core.contact.ValueLedger;
import io.gridsync.server.store.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Running totals (lifetime value) of one integration, persisted: the message id and the new total
 * are written in one transaction, so a redelivered order is never counted twice, even across a crash.
 */
public final class JdbcValueLedger implements ValueLedger {

    private final Database db;
    private final String integrationId;

    public JdbcValueLedger(Database db, String integrationId) {
        this.db = db;
        this.integrationId = integrationId;
    }

    @Override
    public synchronized BigDecimal addOnce(String contactKey, String key, String messageId, BigDecimal amount) {
        return db.inTransaction(c -> {
            int inserted;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO value_applied (integration_id, contact_key, total_key, "
                    + "message_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, integrationId);
                ps.setString(2, contactKey);
                ps.setString(3, key);
                ps.setString(4, messageId);
                inserted = ps.executeUpdate();
            }
            BigDecimal total = current(c, contactKey, key);
            if (inserted == 1) {
                total = total.add(amount);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO value_totals (integration_id, contact_key, total_key, "
                        + "total) VALUES (?, ?, ?, ?) ON CONFLICT (integration_id, contact_key, total_key) "
                        + "DO UPDATE SET total = excluded.total")) {
                    ps.setString(1, integrationId);
                    ps.setString(2, contactKey);
                    ps.setString(3, key);
                    ps.setString(4, total.toPlainString());
                    ps.executeUpdate();
                }
            }
            return total;
        });
    }

    private BigDecimal current(Connection c, String contactKey, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT total FROM value_totals WHERE integration_id = ? AND contact_key = ? AND total_key = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, contactKey);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BigDecimal(rs.getString(1)) : BigDecimal.ZERO;
            }
        }
    }
}
