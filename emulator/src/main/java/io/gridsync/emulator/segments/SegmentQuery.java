package io.gridsync.emulator.segments;

import io.gridsync.emulator.http.ApiError;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the emulator understands of a segment's {@code query_dsl}. SendGrid evaluates the SQL over
 * its contact_data and event_data tables; the emulator stores it as given, checks only its outline
 * ({@code SELECT ... FROM contact_data|event_data ...}), and reads one thing from it: a WHERE clause
 * that is nothing but a list membership test, {@code CONTAINS(list_ids, '<list id>')}.
 */
final class SegmentQuery {

    // lookingAt(), find() and possessive quantifiers: nothing here backtracks over a long query
    private static final Pattern SELECT = Pattern.compile("(?i)\\s*SELECT\\s");
    private static final Pattern FROM = Pattern.compile("(?i)\\sFROM\\s+(contact_data|event_data)\\b");
    private static final Pattern WHERE = Pattern.compile("(?i)\\bWHERE\\b");
    private static final Pattern MEMBERSHIP = Pattern.compile(
            "(?is)\\s*+\\(?+\\s*+CONTAINS\\s*+\\(\\s*+list_ids\\s*+,\\s*+'([^']++)'\\s*+\\)\\s*+\\)?+\\s*+;?+\\s*+");

    private SegmentQuery() {}

    /** A 400 unless the query is a non-blank {@code SELECT ... FROM contact_data|event_data}. */
    static void check(String query) {
        if (query == null || query.isBlank()) {
            throw ApiError.badRequest("query_dsl", "query_dsl is required: a SQL query such as "
                    + "SELECT contact_id, updated_at FROM contact_data WHERE ...");
        }
        if (!SELECT.matcher(query).lookingAt() || !FROM.matcher(query).find()) {
            throw ApiError.badRequest("query_dsl", "query_dsl must be a SELECT over contact_data or event_data, e.g. "
                    + "SELECT contact_id, updated_at FROM contact_data WHERE CONTAINS(list_ids, '<list id>')");
        }
    }

    /** True when the query has no WHERE clause: every contact (of the parent list, if any). */
    static boolean selectsAll(String query) {
        return !WHERE.matcher(query).find();
    }

    /** The list id when the WHERE clause is exactly {@code CONTAINS(list_ids, '<id>')}. */
    static Optional<String> membershipList(String query) {
        Matcher where = WHERE.matcher(query);
        if (!where.find()) {
            return Optional.empty();
        }
        Matcher m = MEMBERSHIP.matcher(query.substring(where.end()));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
