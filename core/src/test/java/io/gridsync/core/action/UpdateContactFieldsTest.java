package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Behaviour to contact fields (last page, last product, last purchase, lifetime value, consent). */
class UpdateContactFieldsTest {

    private final EmulatorFixture sg = new EmulatorFixture();

    @AfterEach
    void stop() {
        sg.close();
    }

    @Test
    void behaviourFillsTheFieldsAndAnOrderRetriedIsCountedOnce() {
        ActionContext ctx = sg.context(null, true);
        Delivery d = new Delivery(Integration.presets(null), ctx);
        List<Attempt> attempts = d.deliver(List.of(
                message("{'type':'identify','messageId':'i1','userId':'u1','traits':{'email':'shopper@x.io'}}"),
                message("{'type':'page','messageId':'p1','userId':'u1','properties':{'url':'https://shop.example/shoes'}}"),
                message("{'type':'track','event':'Product Viewed','messageId':'v1','userId':'u1','properties':{'product_id':'sku-42'}}"),
                message("{'type':'track','event':'Order Completed','messageId':'o1','userId':'u1','timestamp':'2024-05-01T10:00:00Z',"
                        + "'properties':{'revenue':20.5}}"),
                message("{'type':'track','event':'Order Completed','messageId':'o2','userId':'u1','timestamp':'2024-05-03T10:00:00Z',"
                        + "'properties':{'total':'10'},'context':{'consent':{'categoryPreferences':{'marketing':true,'ads':false}}}}")),
                1, Duration.ofSeconds(10));
        assertThat(attempts).allMatch(a -> a.outcome().isDone());

        // the same order delivered again (a client retry) changes nothing
        d.deliver(List.of(message("{'type':'track','event':'Order Completed','messageId':'o2','userId':'u1',"
                + "'timestamp':'2024-05-03T10:00:00Z','properties':{'total':'10'}}")), 1, Duration.ofSeconds(10));

        JsonNode f = sg.contactByEmail("shopper@x.io").path("custom_fields");
        assertThat(f.path("last_page_url").asText()).isEqualTo("https://shop.example/shoes");
        assertThat(f.path("last_product_id").asText()).isEqualTo("sku-42");
        assertThat(f.path("last_purchase_at").asText()).startsWith("2024-05-03");
        assertThat(f.path("lifetime_value").decimalValue()).isEqualByComparingTo("30.5");
        assertThat(f.path("consent_categories").asText()).isEqualTo("marketing");
    }

    @Test
    void aFieldAnotherHubCreatedFirstIsUsedNotRefused() {
        io.gridsync.core.fields.FieldCatalog catalog = new io.gridsync.core.fields.FieldCatalog(sg.api);
        assertThat(catalog.resolve("lifetime_value")).isEmpty(); // this hub looked: not there
        io.gridsync.core.sendgrid.CustomField theirs = sg.api.createField("lifetime_value", "Number"); // another hub of the cluster
        assertThat(catalog.ensure("lifetime_value", "Number").id()).isEqualTo(theirs.id());
    }

    @Test
    void withoutPermissionToCreateFieldsAMissingFieldIsNamed() {
        List<Attempt> attempts = new Delivery(Integration.presets(null), sg.context(null, false)).deliver(List.of(
                message("{'type':'page','messageId':'p','userId':'u','context':{'traits':{'email':'r@x.io'}},"
                        + "'properties':{'url':'https://x.io/'}}")), 0, Duration.ZERO);
        Attempt page = attempts.stream().filter(a -> a.action().equals("update_contact_fields")).findFirst().orElseThrow();
        assertThat(page.outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(page.outcome().detail()).contains("custom field 'last_page_url' does not exist").contains("create_missing_fields");
    }

    @Test
    void aTrackEventForAnUnknownPersonWaitsForAnIdentify() {
        List<Attempt> attempts = new Delivery(Integration.presets(null), sg.context(null, true)).deliver(List.of(
                message("{'type':'track','event':'Product Viewed','messageId':'v','userId':'nobody','properties':{'product_id':'1'}}")),
                0, Duration.ZERO);
        assertThat(attempts.get(0).outcome()).isInstanceOf(Outcome.Retry.class);
        assertThat(attempts.get(0).outcome().detail()).contains("waiting for an identify");
    }
}
