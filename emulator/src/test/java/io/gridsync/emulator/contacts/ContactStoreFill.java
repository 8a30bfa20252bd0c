package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * Fills a contact store with typical contacts (email, names, external id, a list for a third
 * of them, a custom field for half) through the upsert path the jobs use, and measures the heap
 * they retain. {@code main} is the full-scale check, run by hand in a capped JVM:
 * <pre>java -Xmx1g -cp ... io.gridsync.emulator.contacts.ContactStoreFill 1000000</pre>
 */
public final class ContactStoreFill {

    static final String LIST = "6f9619ff-8b86-4011-b42d-00cf4fc964ff";
    static final String FIELD = "e1_N";

    /** Retained bytes per contact for {@code n} contacts; the store is checked to hold them all. */
    static long bytesPerContact(int n) throws Exception {
        long before = usedAfterGc();
        ContactStore store = fill(n);
        long after = usedAfterGc();
        if (store.size() != n || store.countInList(LIST) != (n + 2) / 3) {
            throw new IllegalStateException("store holds " + store.size() + " contacts");
        }
        return (after - before) / n;
    }

    static ContactStore fill(int n) throws RowError {
        ContactStore store = new ContactStore();
        List<String> lists = List.of(LIST);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            String[] values = new String[ContactField.ALL.length];
            values[ContactField.EMAIL.ordinal()] = "user" + i + "@example.com";
            values[ContactField.EXTERNAL_ID.ordinal()] = "crm-" + i;
            values[ContactField.FIRST_NAME.ordinal()] = "First" + (i % 1000);
            values[ContactField.LAST_NAME.ordinal()] = "Last" + i;
            Map<String, JsonNode> custom = i % 2 == 0 ? Map.of(FIELD, LongNode.valueOf(i)) : null;
            Object[] customValues = custom == null ? null : new Object[]{FIELD, (long) i};
            store.upsert(new ContactUpsert(i, values, null, custom), customValues, i % 3 == 0 ? lists : List.of(), now);
        }
        return store;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        System.out.println("contacts=" + n + " bytesPerContact=" + bytesPerContact(n)
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
