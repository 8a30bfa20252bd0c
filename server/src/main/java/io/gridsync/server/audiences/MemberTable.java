package io.gridsync.server.audiences;

/**
 * Per-member planning state of a cohort sync in flat arrays (open addressing on the email key):
 * what the source says (its fields hash), what the stored state says (its fields hash and flags),
 * and what SendGrid's export says. About 25 bytes per member plus the free slots, so 1,000,000
 * members take about 50 MiB, whatever their emails and fields.
 */
final class MemberTable {

    static final int IN_SOURCE = 1;
    static final int IN_STATE = 1 << 1;
    static final int STATE_IN_LIST = 1 << 2;
    static final int STATE_HASH = 1 << 3;
    static final int STATE_STALE = 1 << 4;   // stored as not desired, or with an API change pending
    static final int DUPLICATE = 1 << 5;
    static final int IN_EXPORT = 1 << 6;

    private static final float LOAD = 0.7f;

    private long[] keys;
    private long[] sourceHash;
    private long[] stateHash;
    private byte[] flags;
    private int size;
    private int mask;

    MemberTable(int expected) {
        int cap = 1024;
        while (cap * LOAD < expected) {
            cap <<= 1;
        }
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        sourceHash = new long[cap];
        stateHash = new long[cap];
        flags = new byte[cap];
        mask = cap - 1;
        size = 0;
    }

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    /** The slot of {@code key}, or -1 when absent. */
    int find(long key) {
        int i = spread(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of {@code key}, added (with no flags) when absent. Slots move when the table grows. */
    int slot(long key) {
        if (size + 1 > keys.length * LOAD) {
            grow();
        }
        int i = spread(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                keys[i] = key;
                size++;
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Whether the slot holds a member (for iteration over 0..capacity-1). */
    boolean used(int slot) {
        return keys[slot] != 0;
    }

    int flags(int slot) {
        return flags[slot];
    }

    boolean has(int slot, int flag) {
        return (flags[slot] & flag) != 0;
    }

    void set(int slot, int flag) {
        flags[slot] |= (byte) flag;
    }

    long sourceHash(int slot) {
        return sourceHash[slot];
    }

    void sourceHash(int slot, long h) {
        sourceHash[slot] = h;
    }

    long stateHash(int slot) {
        return stateHash[slot];
    }

    void stateHash(int slot, long h) {
        stateHash[slot] = h;
    }

    private void grow() {
        long[] k = keys;
        long[] s = sourceHash;
        long[] t = stateHash;
        byte[] f = flags;
        allocate(k.length * 2);
        for (int j = 0; j < k.length; j++) {
            if (k[j] != 0) {
                int i = slot(k[j]);
                sourceHash[i] = s[j];
                stateHash[i] = t[j];
                flags[i] = f[j];
            }
        }
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
