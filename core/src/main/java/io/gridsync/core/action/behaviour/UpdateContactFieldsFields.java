package io.gridsync.core.action.behaviour;

import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.action.ActionField;

import java.util.List;

import static io.gridsync.core.action.FieldDefaults.ifExists;
import static io.gridsync.core.action.FieldDefaults.of;
import static io.gridsync.core.action.FieldDefaults.path;
import static io.gridsync.core.action.FieldDefaults.string;

/** The fields of Update Contact Fields from behaviour, and the SendGrid custom fields it writes. */
final class UpdateContactFieldsFields {

    private UpdateContactFieldsFields() {}

    static final List<ActionField> ALL = List.of(
            string("email", "Email Address", "The contact; without it the person's last identify is used.",
                    ifExists(path("$.traits.email"), path("$.traits.email"),
                            ifExists(path("$.context.traits.email"), path("$.context.traits.email"), path("$.properties.email")))),
            string("page_url", "Page URL", "Written to the last-page field on page and screen events.",
                    ifExists(path("$.properties.url"), path("$.properties.url"), path("$.context.page.url"))),
            string("product_id", "Product ID", "Written to the last-product field on Product Viewed.",
                    ifExists(path("$.properties.product_id"), path("$.properties.product_id"), path("$.properties.sku"))),
            of("order_value", "Order Value", "number", false, "Added once per order to the lifetime-value field on Order Completed.",
                    ifExists(path("$.properties.revenue"), path("$.properties.revenue"),
                            ifExists(path("$.properties.total"), path("$.properties.total"), path("$.properties.value")))),
            of("occurred_at", "Occurred At", "datetime", false, "Written to the last-purchase field on Order Completed.",
                    ifExists(path("$.timestamp"), path("$.timestamp"), path("$.receivedAt"))),
            of("consent", "Consent Preferences", "object", false,
                    "Category -> true/false; the granted categories are written to the consent field.",
                    path("$.context.consent.categoryPreferences")),
            string("last_page_field", "Last Page field", "SendGrid Text field for the last page URL.", TextNode.valueOf("last_page_url")),
            string("last_product_field", "Last Product field", "SendGrid Text field for the last product id.",
                    TextNode.valueOf("last_product_id")),
            string("last_purchase_field", "Last Purchase field", "SendGrid Date field for the last purchase.",
                    TextNode.valueOf("last_purchase_at")),
            string("lifetime_value_field", "Lifetime Value field", "SendGrid Number field for the running order total.",
                    TextNode.valueOf("lifetime_value")),
            string("consent_field", "Consent field", "SendGrid Text field for the granted consent categories.",
                    TextNode.valueOf("consent_categories")));
}
