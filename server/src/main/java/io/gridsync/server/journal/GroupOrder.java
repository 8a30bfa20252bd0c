package io.gridsync.server.journal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the journal's writers in step when there is more than one (PostgreSQL: two, each with its
 * own connection, so that one group's claims are made while the group before it is inserted and
 * committed, instead of the database's one backend doing both in turn). Groups are taken from the
 * queue one writer at a time and numbered (tickets); the next group is taken only once the one
 * before it is claimed, and a group is inserted and committed only after the one before it has
 * finished, so seqs still follow the order of the appends. With one writer every wait here is
 * already over when it is asked.
 */
final class GroupOrder {

    /** Thrown to a writer waiting for its predecessor that writes its appends one by one: it lets go of its claims. */
    static final class Yield extends Exception {
        Yield() {
            super(null, null, false, false);
        }
    }

    private final Semaphore taking = new Semaphore(1);
    private long issued;
    private long finished;
    private long alone = -1;

    /** Waits up to {@code millis} for the right to take the next group from the queue. */
    boolean startTaking(long millis) throws InterruptedException {
        return taking.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** The next group's ticket (taken while the right to take is held, so tickets follow the queue). */
    synchronized long ticket() {
        return ++issued;
    }

    /** Another writer may now take a group. */
    void stopTaking() {
        taking.release();
    }

    /**
     * Waits until every group before {@code ticket} has finished (committed, or failed and answered).
     *
     * @param yieldToAlone throw {@link Yield} if the group before writes its appends one by one: one of
     *                     those may need a messageId this group has claimed and holds until it ends
     */
    synchronized void awaitPredecessor(long ticket, boolean yieldToAlone) throws Yield {
        boolean interrupted = false;
        while (finished < ticket - 1) {
            if (yieldToAlone && alone == ticket - 1) {
                restore(interrupted);
                throw new Yield();
            }
            try {
                wait(1_000);
            } catch (InterruptedException e) {
                interrupted = true; // the group before always finishes: wait for it, then pass the interrupt on
            }
        }
        restore(interrupted);
    }

    /** The group {@code ticket} is written again one append at a time (after a failure of its data). */
    synchronized void alone(long ticket) {
        alone = ticket;
        notifyAll();
    }

    /** The group {@code ticket} has finished: the one after it may insert. */
    synchronized void finished(long ticket) {
        finished = Math.max(finished, ticket);
        alone = -1;
        notifyAll();
    }

    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
