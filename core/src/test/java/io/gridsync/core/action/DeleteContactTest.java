package io.gridsync.core.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.testing.EmulatorFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.gridsync.core.testing.EmulatorFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

class DeleteContactTest {

    private final EmulatorFixture sg = new EmulatorFixture();

    @AfterEach
    void stop() {
        sg.close();
    }

    @Test
    void anErasureRequestDeletesThePersonsContactAndAnUnknownPersonIsANoOp() throws Exception {
        Integration integration = Integration.fromJson(new ObjectMapper().readTree("""
                {"name":"erasure","presets":true,"subscriptions":[
                  {"name":"erase","trigger":"type = \\"track\\" and event = \\"Erasure Requested\\"","action":"delete_contact"}]}
                """), null);
        ActionContext ctx = sg.context(null, false);
        Delivery d = new Delivery(integration, ctx);
        d.deliver(List.of(
                message("{'type':'identify','messageId':'1','userId':'u1','traits':{'email':'gone@x.io'}}"),
                message("{'type':'identify','messageId':'2','userId':'u2','traits':{'email':'stays@x.io'}}")), 0, Duration.ZERO);
        assertThat(sg.contactCount()).isEqualTo(2);

        List<Attempt> attempts = d.deliver(List.of(
                message("{'type':'track','event':'Erasure Requested','messageId':'3','userId':'u1'}"),
                message("{'type':'track','event':'Erasure Requested','messageId':'4','userId':'u9','properties':{'email':'never@x.io'}}")),
                0, Duration.ZERO);

        assertThat(attempts).allMatch(a -> a.outcome().isDone());
        assertThat(attempts.get(1).outcome().detail()).contains("nothing to delete");
        assertThat(sg.contactByEmail("gone@x.io")).isNull();
        assertThat(sg.contactByEmail("stays@x.io")).isNotNull();
    }
}
