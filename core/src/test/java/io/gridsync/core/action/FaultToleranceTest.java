package io.gridsync.core.action;

import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.message.Message;
import io.gridsync.core.testing.EmulatorFixture;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.RateLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gridsync.core.testing.EmulatorFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

/** A 429 storm and 5xx faults end with everything delivered, once. */
class FaultToleranceTest {

    private EmulatorFixture sg;

    @AfterEach
    void stop() {
        sg.close();
    }

    @Test
    void everythingIsDeliveredOnceThrough429sAnd5xx() {
        sg = new EmulatorFixture(new EmulatorConfig()
                .fault("rate_limit_429=0.25").fault("error_503=0.15").fault("error_500=0.1")
                .rateLimit("lists", new RateLimiter.Limit(5, 1)));
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String audience = "aud" + (i % 3);
            messages.add(message("{'type':'identify','messageId':'m" + i + "','userId':'u" + i + "',"
                    + "'traits':{'email':'f" + i + "@x.io','" + audience + "':true},"
                    + "'context':{'personas':{'computation_class':'audience','computation_key':'" + audience + "'}}}"));
        }
        List<Attempt> attempts = new Delivery(Integration.presets(null), sg.context(null, false))
                .deliver(messages, 5, Duration.ofSeconds(30));

        assertThat(attempts).hasSize(6000).allMatch(a -> a.outcome().isDone(), "every attempt done");
        assertThat(sg.contactCount()).isEqualTo(3000);
        assertThat(sg.get("/v3/marketing/lists").path("result").size()).isEqualTo(3);
        for (var list : sg.get("/v3/marketing/lists").path("result")) {
            assertThat(sg.listCount(list.path("id").asText())).isEqualTo(1000);
        }
    }
}
