package io.gridsync.server.journal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the journal's two PostgreSQL writers keep step: a group inserts only after the one before it
 * has finished, and a group waiting with claims in hand lets go of them when the one before it is
 * written again append by append (one of those appends may need a messageId the waiting group
 * claimed: waiting on each other, neither would ever finish).
 */
class GroupOrderTest {

    @Test
    void aGroupWaitsForTheOneBeforeItToFinish() throws Exception {
        GroupOrder order = new GroupOrder();
        assertThat(order.startTaking(1_000)).isTrue();
        long first = order.ticket();
        assertThat(order.startTaking(0)).as("one writer takes from the queue at a time").isFalse();
        order.stopTaking();
        assertThat(order.startTaking(1_000)).isTrue();
        long second = order.ticket();
        order.stopTaking();
        assertThat(second).isEqualTo(first + 1);

        order.awaitPredecessor(first, true); // nothing before the first ticket
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> await(order, second, true));
        Thread.sleep(200);
        assertThat(waiting).as("the second group waits while the first has not finished").isNotDone();
        order.finished(first);
        waiting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aGroupHoldingClaimsYieldsToTheGroupBeforeWrittenAppendByAppend() throws Exception {
        GroupOrder order = new GroupOrder();
        long first = order.ticket();
        long second = order.ticket();
        CompletableFuture<Boolean> holdingClaims = CompletableFuture.supplyAsync(() -> yielded(order, second, true));
        CompletableFuture<Boolean> holdingNothing = CompletableFuture.supplyAsync(() -> yielded(order, second, false));
        Thread.sleep(200);
        order.alone(first);
        assertThat(holdingClaims.get(10, TimeUnit.SECONDS)).as("the waiter with claims lets go of them").isTrue();
        Thread.sleep(200);
        assertThat(holdingNothing).as("a waiter without claims waits on until the first has finished").isNotDone();
        order.finished(first);
        assertThat(holdingNothing.get(10, TimeUnit.SECONDS)).isFalse();
        order.awaitPredecessor(second, true); // finished clears the append-by-append mark
    }

    private static void await(GroupOrder order, long ticket, boolean yieldToAlone) {
        assertThat(yielded(order, ticket, yieldToAlone)).isFalse();
    }

    private static boolean yielded(GroupOrder order, long ticket, boolean yieldToAlone) {
        try {
            order.awaitPredecessor(ticket, yieldToAlone);
            return false;
        } catch (GroupOrder.Yield y) {
            return true;
        }
    }
}
