package io.gridsync.core.csv;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvReaderTest {

    private static List<List<String>> all(String text) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(new StringReader(text))) {
            List<String> row;
            while ((row = r.next()) != null) {
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void quotesCommasLineBreaksAndCrlf() throws IOException {
        assertThat(all("\uFEFFemail,name\r\n\"a@x.io\",\"Smith, \"\"Jo\"\"\"\r\n\r\nb@x.io,\"two\nlines\"\nc@x.io,"))
                .containsExactly(List.of("email", "name"), List.of("a@x.io", "Smith, \"Jo\""), List.of("b@x.io", "two\nlines"),
                        List.of("c@x.io", ""));
    }

    @Test
    void recordLinesCountLineBreaksInsideQuotes() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("h\n\"a\nb\"\nc\n"))) {
            r.next();
            r.next();
            assertThat(r.recordLine()).isEqualTo(2);
            assertThat(r.next()).containsExactly("c");
            assertThat(r.recordLine()).isEqualTo(4);
        }
    }

    @Test
    void anUnclosedQuoteIsFlaggedNotThrown() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("h\n\"open,x\ny\n"))) {
            r.next();
            assertThat(r.next()).isNotNull();
            assertThat(r.malformed()).isTrue();
            assertThat(r.recordLine()).isEqualTo(2);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void textAfterAClosingQuoteFlagsThatRecordAndTheNextOnesStillRead() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("h,i\n\"a\"b,c\nd,e\n"))) {
            assertThat(r.next()).containsExactly("h", "i");
            r.next();
            assertThat(r.malformed()).isTrue();
            assertThat(r.recordLine()).isEqualTo(2);
            assertThat(r.next()).containsExactly("d", "e");
            assertThat(r.malformed()).isFalse();
            assertThat(r.recordLine()).isEqualTo(3);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void blankLinesAreSkippedButCountedInRecordLines() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("h\n\n\r\nx\n"))) {
            assertThat(r.next()).containsExactly("h");
            assertThat(r.next()).containsExactly("x");
            assertThat(r.recordLine()).isEqualTo(4);
        }
    }
}
