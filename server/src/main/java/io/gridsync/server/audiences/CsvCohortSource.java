package io.gridsync.server.audiences;

import io.gridsync.core.csv.CsvReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A cohort from a CSV file with a header row (UTF-8), streamed. */
final class CsvCohortSource implements CohortSource {

    private final CsvReader reader;
    private final List<String> columns;

    CsvCohortSource(Path file) throws IOException {
        try {
            this.reader = new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no CSV file " + file.toAbsolutePath());
        }
        List<String> header = reader.next();
        if (header == null) {
            reader.close();
            throw new IllegalArgumentException("the CSV file " + file.getFileName() + " is empty: it needs a header row with an email column");
        }
        this.columns = header.stream().map(String::trim).toList();
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public List<String> next() throws IOException {
        return reader.next();
    }

    @Override
    public long position() {
        return reader.recordLine();
    }

    @Override
    public boolean malformed() {
        return reader.malformed();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
