package io.gridsync.emulator.contacts;

import java.util.List;

/**
 * CSV lines in the style of SendGrid's contact exports: every non-empty value in double quotes
 * (inner quotes doubled), empty values as nothing, comma-separated, lines ending in {@code \n}.
 */
public final class Csv {

    private Csv() {}

    public static void appendCell(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                line.append('"');
            }
            line.append(ch);
        }
        line.append('"');
    }

    public static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            appendCell(b, cells.get(i));
        }
        return b.append('\n').toString();
    }
}
