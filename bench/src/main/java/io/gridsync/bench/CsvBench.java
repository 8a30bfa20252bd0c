package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.csv.CsvReader;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The cohort path's CSV reading alone: a cohort file of N rows (default 1,000,000; email, names,
 * plan, a quoted note with commas and doubled quotes on every tenth row) read through
 * {@link CsvReader} in 7 rounds after 2 warm-up rounds. Prints rows/s and MB/s (median and best).
 * Run the jar of each version of CsvReader back to back to compare them on the same machine state.
 */
final class CsvBench {

    private CsvBench() {}

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ObjectNode result = Results.start("csv");
        result.put("rows", n);
        Path file = Files.createTempFile("gridsync-csv-bench", ".csv");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("email,first_name,last_name,plan,note\n");
                for (int i = 0; i < n; i++) {
                    w.write("person" + i + "@example.com,First" + i + ",Last" + i + "," + (i % 3 == 0 ? "pro" : "free") + ","
                            + (i % 10 == 0 ? "\"likes \"\"red\"\", blue, and green\"" : "plain note " + i) + "\n");
                }
            }
            long bytes = Files.size(file);
            result.put("file_mib", bytes / (1024.0 * 1024.0));
            double[] rates = new double[7];
            for (int round = -2; round < rates.length; round++) {
                long cells = 0;
                long t0 = System.nanoTime();
                try (CsvReader r = new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
                    List<String> row;
                    while ((row = r.next()) != null) {
                        cells += row.size();
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                if (cells != (n + 1L) * 5) {
                    throw new IllegalStateException("read " + cells + " cells, expected " + (n + 1L) * 5);
                }
                if (round >= 0) {
                    rates[round] = n / secs;
                }
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            ArrayNode all = result.putArray("rows_per_second_rounds");
            for (double r : rates) {
                all.add(Math.round(r));
            }
            result.put("rows_per_second_median", Math.round(sorted[sorted.length / 2]));
            result.put("rows_per_second_best", Math.round(sorted[sorted.length - 1]));
            result.put("mib_per_second_median", Math.round(sorted[sorted.length / 2] * bytes / n / (1024 * 1024) * 10) / 10.0);
            Results.write(result);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
