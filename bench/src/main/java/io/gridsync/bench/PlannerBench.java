package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.planner.BatchPlanner;
import io.gridsync.core.planner.UpsertRequest;
import io.gridsync.core.sendgrid.SendGridApi;

import java.util.ArrayList;
import java.util.List;

/**
 * Planning and serializing N contact upserts (default 1,000,000): time, peak heap, and the
 * requests the plan needs compared with the minimum ceil(N / 30,000).
 */
final class PlannerBench {

    private PlannerBench() {}

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ObjectNode result = Results.start("planner");
        // warm-up on a small plan so the timed run measures steady-state code
        new BatchPlanner().plan(drafts(50_000, 0), new InMemoryIdentityLedger());
        long heapBefore = Results.liveHeapMib();

        long t0 = System.nanoTime();
        List<ContactDraft> drafts = drafts(n, 1);
        long t1 = System.nanoTime();
        List<UpsertRequest> plan = new BatchPlanner().plan(drafts, new InMemoryIdentityLedger());
        long t2 = System.nanoTime();

        long bytes = plan.stream().mapToLong(r -> r.body().length).sum();
        long contacts = plan.stream().mapToLong(r -> r.contacts().size()).sum();
        result.put("contacts", n);
        result.put("contacts_planned", contacts);
        result.put("build_drafts_seconds", round((t1 - t0) / 1e9));
        result.put("plan_and_serialize_seconds", round((t2 - t1) / 1e9));
        result.put("contacts_per_second", Math.round(n / ((t2 - t1) / 1e9)));
        result.put("requests", plan.size());
        result.put("minimum_requests", (n + SendGridApi.MAX_CONTACTS_PER_UPSERT - 1) / SendGridApi.MAX_CONTACTS_PER_UPSERT);
        result.put("serialized_mib", bytes / (1024 * 1024));
        result.put("largest_request_bytes", plan.stream().mapToLong(r -> r.body().length).max().orElse(0));
        result.put("heap_before_mib", heapBefore);
        result.put("peak_heap_mib", Results.peakHeapMib());
        Results.write(result);
    }

    private static List<ContactDraft> drafts(int n, int salt) {
        List<ContactDraft> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ContactDraft().identifier("email", "User" + i + "." + salt + "@Example.com")
                    .field("first_name", TextNode.valueOf("User"))
                    .field("last_name", TextNode.valueOf("Number " + i))
                    .customField("e1_N", IntNode.valueOf(i % 1000))
                    .input(i));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
