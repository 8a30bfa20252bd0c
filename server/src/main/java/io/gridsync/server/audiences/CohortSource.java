package io.gridsync.server.audiences;

import java.util.List;

/** A cohort's rows, read once, in order, one at a time: a CSV file or a SQL query. */
interface CohortSource extends AutoCloseable {

    /** Column names (the CSV header, the query's column labels). */
    List<String> columns();

    /** The next row's cells, or null after the last one. */
    List<String> next() throws Exception;

    /** Where the last row came from, for examples in reports: CSV line or query row number. */
    long position();

    /** Whether the last row could not be read properly (a quote left open). */
    boolean malformed();

    @Override
    void close() throws Exception;
}
