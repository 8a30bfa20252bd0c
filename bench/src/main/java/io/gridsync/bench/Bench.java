package io.gridsync.bench;

import java.util.Arrays;

/** {@code java -jar bench/target/gridsync-bench.jar NAME [args]}: runs one benchmark, prints and records its numbers. */
public final class Bench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java -jar gridsync-bench.jar (emulator-contacts | planner | collect | delivery | webhook | mirror | cohort | soak | csv) [args]");
            System.exit(1);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "emulator-contacts" -> EmulatorContactsBench.run(rest);
            case "planner" -> PlannerBench.run(rest);
            case "collect" -> CollectBench.run(rest);
            case "delivery" -> DeliveryBench.run(rest);
            case "webhook" -> WebhookBench.run(rest);
            case "mirror" -> MirrorBench.run(rest);
            case "cohort" -> CohortBench.run(rest);
            case "soak" -> SoakBench.run(rest);
            case "csv" -> CsvBench.run(rest);
            default -> {
                System.err.println("unknown benchmark " + args[0]);
                System.exit(1);
            }
        }
    }
}
