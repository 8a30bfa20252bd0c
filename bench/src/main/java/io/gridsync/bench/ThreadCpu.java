package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds spent by each kind of thread between {@link #start} and {@link #stop} (threads named
 * alike, numbers stripped, are summed): shows which part of a run used the cores, and whether a
 * single-threaded stage (a writer) was busy all the time or waiting.
 */
final class ThreadCpu {

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private long startNanos;
    private long[] procBefore;
    private long gcBefore;
    private long jitBefore;
    private long writtenBefore;

    static ThreadCpu start() {
        ThreadCpu t = new ThreadCpu();
        t.mx.setThreadCpuTimeEnabled(true);
        t.snapshot(t.before);
        t.procBefore = procStat();
        t.writtenBefore = bytesWritten();
        t.gcBefore = gcMillis();
        t.jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        t.startNanos = System.nanoTime();
        return t;
    }

    private void snapshot(Map<Long, Long> into) {
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                into.put(info.getThreadId(), cpu);
                names.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "#"));
            }
        }
    }

    private static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** Bytes this process handed to write() and friends (Linux /proc/self/io wchar), or 0. */
    private static long bytesWritten() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    /** {busy, idle} jiffies of all cores from /proc/stat (Linux), or null. */
    private static long[] procStat() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                busy += Long.parseLong(f[i]);
            }
            return new long[] {busy - idle, idle};
        } catch (Exception e) {
            return null;
        }
    }

    /** Writes {"wall_seconds": .., "cpu_seconds": {"kind": ..}} under {@code field} of {@code r}, and prints it. */
    void stop(ObjectNode r, String field) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<Long, Long> after = new HashMap<>();
        snapshot(after);
        Map<String, Double> byKind = new TreeMap<>();
        after.forEach((id, cpu) -> byKind.merge(names.get(id), (cpu - before.getOrDefault(id, 0L)) / 1e9, Double::sum));
        ObjectNode o = r.putObject(field);
        o.put("wall_seconds", Math.round(wall * 100) / 100.0);
        long[] proc = procStat();
        if (proc != null && procBefore != null) {
            // the whole machine, every process: how much of the cores the run had to itself
            double busy = proc[0] - procBefore[0];
            double all = busy + proc[1] - procBefore[1];
            o.put("machine_busy_percent", Math.round(busy * 1000 / Math.max(1, all)) / 10.0);
        }
        o.put("written_mib", (bytesWritten() - writtenBefore) >> 20);
        o.put("gc_seconds", Math.round((gcMillis() - gcBefore) / 10.0) / 100.0);
        o.put("jit_seconds", Math.round((ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore) / 10.0) / 100.0);
        ObjectNode cpu = o.putObject("cpu_seconds");
        byKind.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> cpu.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        System.out.println(field + ": " + o);
    }
}
