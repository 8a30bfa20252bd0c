package io.gridsync.server.testing;

import io.gridsync.server.warehouse.Warehouse;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What a query on a warehouse answers, every value as text, for tests to compare with what they expect. */
public final class WarehouseRows {

    private WarehouseRows() {}

    public static List<List<String>> of(Warehouse warehouse, String schema, String sql) {
        return warehouse.query(schema, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                List<List<String>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    out.add(row);
                }
                return out;
            }
        });
    }
}
