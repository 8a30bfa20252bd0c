package io.gridsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Prints a benchmark's numbers and writes them to bench/results/NAME.json with the machine they came from. */
final class Results {

    private static final ObjectMapper M = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {}

    static ObjectNode start(String name) {
        ObjectNode r = M.createObjectNode();
        r.put("benchmark", name);
        r.put("when", Instant.now().toString());
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        r.put("java", System.getProperty("java.version"));
        return r;
    }

    static void write(ObjectNode r) throws IOException {
        String json = M.writeValueAsString(r);
        System.out.println(json);
        Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(r.get("benchmark").asText() + ".json"), json + "\n");
    }

    /** Heap in use after a full collection, in MiB: what the data itself holds. */
    static long liveHeapMib() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    /** The most heap the JVM has had in use since it started (peak of each heap pool, summed), in MiB. */
    static long peakHeapMib() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
