package io.gridsync.server.cluster;

import io.gridsync.core.sendgrid.RateLimitPacer;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One SendGrid budget for a cluster: the pacers of two nodes (two processes' worth of pacers over
 * one PostgreSQL) draw on the same window, so what one spent the other does not spend again, and
 * a 429 one of them got holds the other back too. Another account's window is its own. When a
 * window resets, the calls made before an answer names the next one are counted in it.
 */
class SharedRateLimitsTest {

    private static PostgresDatabases pg;

    @BeforeAll
    static void postgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void twoNodesSpendOneWindow() {
        try (Database db = pg.open(pg.create())) {
            RateLimitPacer nodeA = new RateLimitPacer(new SharedRateLimits(db, "https://api.sendgrid.com", "SG.one"));
            RateLimitPacer nodeB = new RateLimitPacer(new SharedRateLimits(db, "https://api.sendgrid.com", "SG.one"));
            RateLimitPacer otherAccount = new RateLimitPacer(new SharedRateLimits(db, "https://api.sendgrid.com", "SG.two"));
            long reset = System.currentTimeMillis() / 1000 + 60;

            // node A hears from SendGrid: 3 calls a minute, all 3 left
            nodeA.observe("contacts", headers(3, 3, reset));
            assertThat(nodeA.reserve("contacts").waitMillis()).isZero();
            assertThat(nodeB.reserve("contacts").waitMillis()).isZero();
            assertThat(nodeA.reserve("contacts").waitMillis()).isZero();
            // the window is spent by the two together: B waits for the reset, as A would
            assertThat(nodeB.reserve("contacts").waitMillis()).isGreaterThan(50_000);
            assertThat(otherAccount.reserve("contacts").waitMillis()).isZero();
            // one process alone would not have known: its own pacer still thinks 3 are left
            RateLimitPacer alone = new RateLimitPacer();
            alone.observe("contacts", headers(3, 3, reset));
            assertThat(alone.reserve("contacts").waitMillis()).isZero();

            // a 429 to node B holds node A back in that family until the reset it named
            nodeB.exhausted("mail", (reset + 10) * 1000);
            assertThat(nodeA.reserve("mail").waitMillis()).isGreaterThan(60_000);
            assertThat(nodeA.reserve("lists").waitMillis()).isZero();
        }
    }

    @Test
    void anOlderAnswerDoesNotRefillTheWindow() {
        try (Database db = pg.open(pg.create())) {
            RateLimitPacer nodeA = new RateLimitPacer(new SharedRateLimits(db, "eu", "SG.one"));
            RateLimitPacer nodeB = new RateLimitPacer(new SharedRateLimits(db, "eu", "SG.one"));
            long reset = System.currentTimeMillis() / 1000 + 60;
            nodeA.observe("contacts", headers(100, 0, reset));
            nodeB.observe("contacts", headers(100, 50, reset)); // a slower answer from earlier in the same window
            assertThat(nodeB.reserve("contacts").waitMillis()).isGreaterThan(50_000);
        }
    }

    @Test
    void theFirstCallAfterAResetOpensTheNextWindowForEveryNode() {
        try (Database db = pg.open(pg.create())) {
            RateLimitPacer nodeA = new RateLimitPacer(new SharedRateLimits(db, "https://api.sendgrid.com", "SG.one"));
            RateLimitPacer nodeB = new RateLimitPacer(new SharedRateLimits(db, "https://api.sendgrid.com", "SG.one"));
            long now = System.currentTimeMillis() / 1000;
            // the last answer: 3 calls a window, none left, in a window that has reset since
            nodeA.observe("mail", headers(3, 0, now - 1));

            // before any answer names the new window, the nodes' calls are counted in it, by its last known limit
            List<RateLimitPacer.Turn> turns = List.of(nodeA.reserve("mail"), nodeB.reserve("mail"), nodeA.reserve("mail"));
            assertThat(turns).allMatch(t -> t.taken() && t.waitMillis() == 0);
            RateLimitPacer.Turn fourth = nodeB.reserve("mail");
            assertThat(fourth.taken()).as("a call past the last known limit goes in a later window").isFalse();
            assertThat(fourth.waitMillis()).isPositive();

            // a late answer from the window that reset does not refill it
            nodeB.observe("mail", headers(3, 2, now - 1));
            assertThat(nodeA.reserve("mail").taken()).isFalse();
            // the first answer naming the new window, sent when SendGrid had seen one of the three calls, does not either
            nodeA.observe("mail", headers(3, 2, now + 60));
            RateLimitPacer.Turn afterAnswer = nodeB.reserve("mail");
            assertThat(afterAnswer.taken()).isFalse();
            assertThat(afterAnswer.waitMillis()).as("a wait until the reset the answer named").isGreaterThan(50_000);

            // a 429 before any answer named a limit opens no window after its reset: calls go unpaced, as before
            nodeA.exhausted("lists", (now - 1) * 1000);
            assertThat(nodeB.reserve("lists")).isEqualTo(new RateLimitPacer.Turn(0, true));
        }
    }

    private static HttpHeaders headers(int limit, int remaining, long resetSeconds) {
        return HttpHeaders.of(Map.of("X-RateLimit-Limit", List.of(Integer.toString(limit)),
                "X-RateLimit-Remaining", List.of(Integer.toString(remaining)),
                "X-RateLimit-Reset", List.of(Long.toString(resetSeconds))), (k, v) -> true);
    }
}
