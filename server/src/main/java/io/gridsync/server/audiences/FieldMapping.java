package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.sendgrid.CustomField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a cohort's columns become a contact: one column is the email; columns named like a reserved
 * field ({@code first_name}, {@code First Name}, {@code city}) fill it; other columns fill the
 * custom field of their name; {@code --map column=field} overrides either, {@code column=-}
 * ignores a column. Columns whose custom field does not exist are reported and left out.
 */
final class FieldMapping {

    /** One mapped column: a reserved field (custom null) or a custom field. */
    record Target(int column, String columnName, String field, CustomField custom) {

        /** The name the fields hash uses: stable across runs, whatever the column is called. */
        String hashName() {
            return custom == null ? field : "custom:" + custom.id();
        }

        /** Puts the value into the draft; {@link #check} has accepted it. */
        void apply(ContactDraft d, String value) {
            if (custom == null) {
                d.field(field, TextNode.valueOf(value));
            } else {
                d.customField(custom.id(), FieldCatalog.coerce(custom, TextNode.valueOf(value)));
            }
        }

        /** Null when the value fits the field, else why not (a custom field's type). */
        String check(String value) {
            if (custom == null) {
                return null;
            }
            try {
                FieldCatalog.coerce(custom, TextNode.valueOf(value));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
    }

    final List<String> columns;
    final int emailColumn;
    final List<Target> targets;
    final String[] hashNames;
    /** "column -> field" for columns left out because no such custom field exists. */
    final List<String> unknownFields;

    private FieldMapping(List<String> columns, int emailColumn, List<Target> targets, List<String> unknownFields) {
        this.columns = columns;
        this.emailColumn = emailColumn;
        this.targets = targets;
        this.unknownFields = unknownFields;
        this.hashNames = targets.stream().map(Target::hashName).toArray(String[]::new);
    }

    /**
     * @param map column -> field from {@code --map}; field {@code -} or empty ignores the column
     * @throws IllegalArgumentException when there is no email column or the map names what is not there
     */
    static FieldMapping resolve(List<String> columns, Map<String, String> map, FieldCatalog catalog) {
        Map<Integer, String> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            int col = column(columns, e.getKey());
            if (col < 0) {
                throw new IllegalArgumentException("the map names column '" + e.getKey() + "', which is not among the source's "
                        + columns.size() + " columns");
            }
            chosen.put(col, e.getValue() == null ? "" : e.getValue().trim());
        }
        int email = -1;
        for (int i = 0; i < columns.size(); i++) {
            String target = chosen.containsKey(i) ? chosen.get(i) : columns.get(i);
            if (!target.isEmpty() && ContactFields.normalize(target).equals("email")) {
                if (email >= 0) {
                    throw new IllegalArgumentException("both '" + columns.get(email) + "' and '" + columns.get(i)
                            + "' would be the email; ignore one with --map COLUMN=-");
                }
                email = i;
            }
        }
        if (email < 0) {
            // the header is not quoted: an error is shown to whoever reads runs, and the file's content is not theirs to read
            throw new IllegalArgumentException("the source has no email column; its header has " + columns.size()
                    + " columns; name the email column with --map COLUMN=email (\"map\" in the audience API)");
        }
        List<Target> targets = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (i == email) {
                continue;
            }
            String target = chosen.containsKey(i) ? chosen.get(i) : columns.get(i);
            if (target.isEmpty() || target.equals("-")) {
                continue;
            }
            String name = ContactFields.normalize(target);
            if (ContactFields.OTHER_IDENTIFIERS.contains(name)) {
                throw new IllegalArgumentException("column '" + columns.get(i) + "' maps to the identifier " + name
                        + ": a cohort is keyed by email alone; ignore the column with --map '" + columns.get(i) + "=-'");
            }
            if (ContactFields.RESERVED.contains(name)) {
                targets.add(new Target(i, columns.get(i), name, null));
                continue;
            }
            CustomField f = catalog.resolve(target.trim()).orElse(null);
            if (f == null) {
                unknown.add(columns.get(i) + " -> " + target.trim());
            } else {
                targets.add(new Target(i, columns.get(i), f.name(), f));
            }
        }
        return new FieldMapping(List.copyOf(columns), email, List.copyOf(targets), List.copyOf(unknown));
    }

    /** The row's value per target (trimmed; empty as null: not sent). */
    String[] values(List<String> row) {
        String[] out = new String[targets.size()];
        for (int t = 0; t < out.length; t++) {
            int col = targets.get(t).column();
            String v = col < row.size() ? row.get(col) : null;
            out[t] = v == null || v.isBlank() ? null : v.trim();
        }
        return out;
    }

    String email(List<String> row) {
        return emailColumn < row.size() ? row.get(emailColumn) : null;
    }

    private static int column(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).trim().equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        return -1;
    }
}
