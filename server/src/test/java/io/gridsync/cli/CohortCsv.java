package io.gridsync.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes the cohort files of the tests: {@code members} people (member{i}@example.com) with first
 * and last names and a tier, and among them, at fixed places, duplicate rows of earlier members in
 * mixed case (every 48th member; empty first name, new last name), invalid emails (every 96th, at
 * 10) and rows without an email (every 96th, at 60). Changed members get a new last name, dropped
 * ones are left out (their neighbouring bad rows stay), extra members are appended.
 */
final class CohortCsv {

    int members = 48_000;
    int changedFrom = -1;
    int changedTo = -1;
    int droppedFrom = -1;
    int droppedTo = -1;
    int extra;
    int rows;

    static final int DUPLICATES_EVERY = 48;

    Path write(Path file) throws IOException {
        rows = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("Email,First Name,last_name,tier\n");
            int dup = 0;
            for (int i = 0; i < members; i++) {
                if (i < droppedFrom || i >= droppedTo) {
                    row(w, "member" + i + "@example.com", "First" + i,
                            i >= changedFrom && i < changedTo ? "Changed" + i : "Last" + i, tier(i));
                }
                if (i % DUPLICATES_EVERY == DUPLICATES_EVERY - 1) {
                    row(w, "Member" + dup + "@EXAMPLE.com", "", "Merged" + dup, "");
                    dup++;
                }
                if (i % 96 == 10) {
                    row(w, (i / 96) % 2 == 0 ? "broken" + i + "@" : "not an email " + i, "Bad", "Row", "");
                }
                if (i % 96 == 60) {
                    row(w, (i / 96) % 2 == 0 ? "" : "   ", "No", "Email", "gold");
                }
            }
            for (int i = members; i < members + extra; i++) {
                row(w, "member" + i + "@example.com", "First" + i, "Last" + i, tier(i));
            }
        }
        return file;
    }

    /** The emails that should end in the list. */
    Set<String> expected() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < members + extra; i++) {
            if (i < droppedFrom || i >= droppedTo) {
                out.add("member" + i + "@example.com");
            }
        }
        return out;
    }

    static String tier(int i) {
        return i % 3 == 0 ? "gold" : i % 3 == 1 ? "silver" : "";
    }

    private void row(Writer w, String email, String first, String last, String tier) throws IOException {
        w.write(cell(email) + "," + cell(first) + "," + cell(last) + "," + cell(tier) + "\n");
        rows++;
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains(" ") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
