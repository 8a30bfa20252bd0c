package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.MailBodies;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mail Send's rules, one test per rule, each with a request SendGrid accepts and one it refuses,
 * over HTTP and checked against SendGrid's OpenAPI file.
 */
class MailSendValidationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Emulator emulator;
    private SendGridHttp sg;
    /** A dynamic template of the account: mail send refuses template ids the account does not have. */
    private String template;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
        template = sg.post("/v3/templates", "{\"name\":\"welcome\",\"generation\":\"dynamic\"}").json().get("id").asText();
    }

    @AfterEach
    void stop() {
        sg.assertConforms();
        emulator.close();
    }

    private static ObjectNode valid() {
        return MailBodies.valid();
    }

    private static ObjectNode personalization(ObjectNode body, int i) {
        return (ObjectNode) body.get("personalizations").get(i);
    }

    private static ArrayNode recipients(int from, int count) {
        ArrayNode to = MAPPER.createArrayNode();
        for (int i = from; i < from + count; i++) {
            to.addObject().put("email", "user" + i + "@example.com");
        }
        return to;
    }

    private SendGridHttp.Response accepted(ObjectNode body) {
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.text()).isEmpty();
        return r;
    }

    /** Asserts a 400 that names the field with a message containing {@code messagePart}, and a help link. */
    private JsonNode rejected(ObjectNode body, String field, String messagePart) {
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        List<JsonNode> matching = new ArrayList<>();
        r.json().get("errors").forEach(e -> {
            if (field.equals(e.path("field").asText(null))) {
                matching.add(e);
            }
        });
        assertThat(matching).as("errors for field %s in %s", field, r.text()).isNotEmpty();
        assertThat(matching.get(0).path("message").asText()).contains(messagePart);
        // SendGrid links each error to its section of the error reference, without array indexes
        assertThat(matching.get(0).path("help").asText()).startsWith(MailSendError.HELP_BASE).doesNotContain(".0");
        return r.json();
    }

    @Test
    void aValidSendIsAcceptedWith202AnEmptyBodyAndAMessageId() {
        SendGridHttp.Response r = accepted(valid());
        String id = r.header("X-Message-Id");
        assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
        SendGridHttp.Response stored = new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/mail/" + id);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().at("/personalizations/0/to/0/email").asText()).isEqualTo("alex@example.com");
    }

    @Test
    void personalizationsAreRequired() {
        ObjectNode missing = valid();
        missing.remove("personalizations");
        JsonNode body = rejected(missing, "personalizations", "personalizations field is required");
        assertThat(body.at("/errors/0/help").asText()).endsWith("#-Personalizations-Errors");

        ObjectNode empty = valid();
        empty.putArray("personalizations");
        rejected(empty, "personalizations", "at least one personalization");
    }

    @Test
    void atMost1000Personalizations() {
        ObjectNode thousand = valid();
        ArrayNode ps = thousand.putArray("personalizations");
        for (int i = 0; i < 1000; i++) {
            ps.addObject().set("to", recipients(i, 1));
        }
        accepted(thousand);

        ps.addObject().set("to", recipients(1000, 1));
        rejected(thousand, "personalizations", "limited to 1000 personalizations per API request. You have provided 1001");
    }

    @Test
    void everyPersonalizationNeedsAtLeastOneToRecipient() {
        ObjectNode noTo = valid();
        personalization(noTo, 0).remove("to");
        personalization(noTo, 0).set("cc", recipients(0, 1));
        rejected(noTo, "personalizations.0.to", "The to array is required for all personalization objects");

        ObjectNode emptyTo = valid();
        personalization(emptyTo, 0).putArray("to");
        rejected(emptyTo, "personalizations.0.to", "must have at least one email object");

        ObjectNode secondBad = valid();
        ((ArrayNode) secondBad.get("personalizations")).addObject().put("subject", "no recipients");
        rejected(secondBad, "personalizations.1.to", "The to array is required");
    }

    @Test
    void everyRecipientNeedsAValidAddress() {
        ObjectNode invalid = valid();
        ((ObjectNode) personalization(invalid, 0).get("to").get(0)).put("email", "alex(at)example.com");
        JsonNode body = rejected(invalid, "personalizations.0.to.0.email", "Does not contain a valid address.");
        assertThat(body.at("/errors/0/help").asText()).isEqualTo(
                "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to");

        ObjectNode missing = valid();
        ((ObjectNode) personalization(missing, 0).get("to").get(0)).remove("email");
        rejected(missing, "personalizations.0.to.0.email", "The to email parameter is required.");

        ObjectNode badBcc = valid();
        personalization(badBcc, 0).putArray("bcc").addObject().put("email", "not-an-address");
        rejected(badBcc, "personalizations.0.bcc.0.email", "Does not contain a valid address.");

        ObjectNode tooLong = valid();
        String longDomain = String.join(".", java.util.Collections.nCopies(5, "d".repeat(60))) + ".com";
        ((ObjectNode) personalization(tooLong, 0).get("to").get(0)).put("email", "a".repeat(60) + "@" + longDomain);
        rejected(tooLong, "personalizations.0.to.0.email", "Does not contain a valid address.");
    }

    @Test
    void ccAndBccAreOptionalButWhenGivenMustListRecipients() {
        ObjectNode withCopies = valid();
        personalization(withCopies, 0).set("cc", recipients(1, 2));
        personalization(withCopies, 0).set("bcc", recipients(3, 2));
        accepted(withCopies);

        ObjectNode emptyCc = valid();
        personalization(emptyCc, 0).putArray("cc");
        rejected(emptyCc, "personalizations.0.cc", "The cc array, when used, must at least have an email");

        ObjectNode ccObject = valid();
        personalization(ccObject, 0).putObject("cc").put("email", "x@example.com");
        rejected(ccObject, "personalizations.0.cc", "Invalid type. Expected: array, given: object.");
    }

    @Test
    void atMost1000RecipientsAcrossAllPersonalizations() {
        ObjectNode exactly = valid();
        ArrayNode ps = exactly.putArray("personalizations");
        ObjectNode first = ps.addObject();
        first.set("to", recipients(0, 400));
        first.set("cc", recipients(400, 100));
        ObjectNode second = ps.addObject();
        second.set("to", recipients(500, 400));
        second.set("bcc", recipients(900, 100));
        accepted(exactly);

        ((ArrayNode) second.get("bcc")).addObject().put("email", "one-more@example.com");
        rejected(exactly, "personalizations", "There is a limit of 1000 total recipients (to + cc + bcc) per request.");
    }

    @Test
    void anAddressAppearsOnlyOnceInAPersonalizationIgnoringCase() {
        ObjectNode duplicate = valid();
        personalization(duplicate, 0).putArray("cc").addObject().put("email", "Alex@Example.com");
        JsonNode body = rejected(duplicate, "personalizations.0", "should be unique between to, cc, and bcc");
        assertThat(body.at("/errors/0/message").asText()).contains("[Alex@Example.com]").contains("personalizations.0.cc");

        ObjectNode twiceInTo = valid();
        ((ArrayNode) personalization(twiceInTo, 0).get("to")).addObject().put("email", "ALEX@example.com");
        rejected(twiceInTo, "personalizations.0", "We found the first duplicate instance of [ALEX@example.com]");

        ObjectNode inTwoPersonalizations = valid();
        ((ArrayNode) inTwoPersonalizations.get("personalizations")).addObject().putArray("to").addObject()
                .put("email", "alex@example.com");
        accepted(inTwoPersonalizations);
    }

    @Test
    void fromIsRequiredAndMustHoldAValidAddress() {
        ObjectNode missing = valid();
        missing.remove("from");
        rejected(missing, "from", "The from object must be provided for every email send.");

        ObjectNode invalid = valid();
        invalid.putObject("from").put("email", "orders.example.com");
        rejected(invalid, "from.email", "Does not contain a valid address.");

        ObjectNode perPersonalization = valid();
        personalization(perPersonalization, 0).putObject("from").put("email", "sales@example.com");
        accepted(perPersonalization);
        personalization(perPersonalization, 0).putObject("from").put("email", "sales@");
        rejected(perPersonalization, "personalizations.0.from.email", "Does not contain a valid address.");
    }

    @Test
    void replyToIsOneAddressAndReplyToListSeveralButNotBoth() {
        ObjectNode replyTo = valid();
        replyTo.putObject("reply_to").put("email", "support@example.com");
        accepted(replyTo);

        replyTo.putObject("reply_to").put("email", "support");
        rejected(replyTo, "reply_to.email", "Does not contain a valid address.");

        ObjectNode list = valid();
        ArrayNode replies = list.putArray("reply_to_list");
        replies.addObject().put("email", "support@example.com");
        replies.addObject().put("email", "billing@example.com").put("name", "Billing");
        accepted(list);

        replies.addObject().put("email", "Support@example.com");
        rejected(list, "reply_to_list.2.email", "must be unique");

        ObjectNode both = valid();
        both.putObject("reply_to").put("email", "support@example.com");
        both.putArray("reply_to_list").addObject().put("email", "billing@example.com");
        rejected(both, "reply_to_list", "either the reply_to property or reply_to_list property but not both");

        ObjectNode replyToArray = valid();
        replyToArray.putArray("reply_to").addObject().put("email", "support@example.com");
        rejected(replyToArray, "reply_to", "Invalid type. Expected: object, given: array.");
    }

    @Test
    void aSubjectIsRequiredUnlessATemplateOrEveryPersonalizationGivesOne() {
        ObjectNode none = valid();
        none.remove("subject");
        rejected(none, "subject", "The subject is required.");

        ObjectNode perPersonalization = valid();
        perPersonalization.remove("subject");
        personalization(perPersonalization, 0).put("subject", "Your order, Alex");
        accepted(perPersonalization);

        ((ArrayNode) perPersonalization.get("personalizations")).addObject().set("to", recipients(1, 1));
        rejected(perPersonalization, "subject", "if every personalization has a subject defined");

        ObjectNode templated = valid();
        templated.remove("subject");
        templated.put("template_id", template);
        accepted(templated);

        ObjectNode empty = valid();
        empty.put("subject", "");
        rejected(empty, "subject", "must be a string at least one character in length");
    }

    @Test
    void contentIsRequiredUnlessATemplateAndPlainTextComesFirst() {
        ObjectNode none = valid();
        none.remove("content");
        rejected(none, "content", "Unless a valid template_id is provided, the content parameter is required.");

        ObjectNode templated = valid();
        templated.remove("content");
        templated.put("template_id", template);
        accepted(templated);

        ObjectNode emptyValue = valid();
        ((ObjectNode) emptyValue.get("content").get(0)).put("value", "");
        rejected(emptyValue, "content.0.value", "The content value must be a string at least one character in length.");

        ObjectNode missingType = valid();
        ((ObjectNode) missingType.get("content").get(0)).remove("type");
        rejected(missingType, "content.0.type", "A content type is required");

        ObjectNode htmlFirst = valid();
        ArrayNode parts = htmlFirst.putArray("content");
        parts.addObject().put("type", "text/html").put("value", "<p>Thanks</p>");
        parts.addObject().put("type", "text/plain").put("value", "Thanks");
        rejected(htmlFirst, "content", "text/plain needs to be first, followed by text/html");

        ObjectNode plainThenHtml = valid();
        ArrayNode ordered = plainThenHtml.putArray("content");
        ordered.addObject().put("type", "text/plain").put("value", "Thanks");
        ordered.addObject().put("type", "text/html").put("value", "<p>Thanks</p>");
        ordered.addObject().put("type", "text/calendar").put("value", "BEGIN:VCALENDAR");
        accepted(plainThenHtml);
    }

    @Test
    void templateIdsAreDynamicDashIdsOrLegacyGuids() {
        ObjectNode dynamic = valid();
        dynamic.put("template_id", template);
        accepted(dynamic);

        String legacyId = sg.post("/v3/templates", "{\"name\":\"old\",\"generation\":\"legacy\"}").json().get("id").asText();
        ObjectNode legacy = valid();
        legacy.put("template_id", legacyId);
        accepted(legacy);

        ObjectNode malformed = valid();
        malformed.put("template_id", "welcome-email");
        rejected(malformed, "template_id", "The template_id must be a valid GUID, you provided 'welcome-email'.");

        ObjectNode number = valid();
        number.put("template_id", 42);
        rejected(number, "template_id", "The template_id must be a string");
    }

    @Test
    void templateIdsMustExistWhenTheAccountsTemplatesAreKnown() {
        ObjectNode known = valid();
        known.put("template_id", template);
        accepted(known);

        known.put("template_id", "d-00000000000000000000000000000000");
        rejected(known, "template_id", "must be a valid template id for your account");
    }

    @Test
    void dynamicTemplateDataIsAnObjectPerPersonalization() {
        ObjectNode body = valid();
        body.put("template_id", template);
        personalization(body, 0).putObject("dynamic_template_data").put("first_name", "Alex").putObject("order").put("total", 42.5);
        String id = accepted(body).header("X-Message-Id");
        JsonNode stored = new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/mail/" + id).json();
        assertThat(stored.at("/personalizations/0/dynamic_template_data/order/total").asDouble()).isEqualTo(42.5);

        personalization(body, 0).putArray("dynamic_template_data").add("Alex");
        rejected(body, "personalizations.0.dynamic_template_data", "Expected: object, given: array");
    }

    @Test
    void atMostTenUniqueCategoriesOfAtMost255AsciiCharacters() {
        ObjectNode ten = valid();
        ArrayNode categories = ten.putArray("categories");
        for (int i = 0; i < 10; i++) {
            categories.add("category-" + i);
        }
        accepted(ten);

        categories.add("category-10");
        rejected(ten, "categories", "There is a limit of 10 categories for each email that is sent. You provided 11 categories.");

        ObjectNode duplicate = valid();
        duplicate.putArray("categories").add("orders").add("orders");
        rejected(duplicate, "categories.1", "you have included orders more than once");

        ObjectNode tooLong = valid();
        tooLong.putArray("categories").add("x".repeat(256));
        rejected(tooLong, "categories.0", "must not be longer than 255 characters");
        tooLong.putArray("categories").add("x".repeat(255));
        accepted(tooLong);

        ObjectNode notStrings = valid();
        notStrings.putArray("categories").add(7);
        rejected(notStrings, "categories.0", "Categories must be an array of strings.");
    }

    @Test
    void customArgsAreStringsAndTogetherAtMost10000Bytes() {
        ObjectNode body = valid();
        body.putObject("custom_args").put("tenant", "acme");
        personalization(body, 0).putObject("custom_args").put("order_id", "42");
        accepted(body);

        ObjectNode number = valid();
        number.putObject("custom_args").put("order_id", 42);
        rejected(number, "custom_args", "All values of custom arguments object must be strings");

        ObjectNode tooBig = valid();
        tooBig.putObject("custom_args").put("global", "g".repeat(5_000));
        personalization(tooBig, 0).putObject("custom_args").put("own", "p".repeat(5_000));
        rejected(tooBig, "personalizations.0.custom_args", "may not exceed 10,000 bytes per personalization");

        ObjectNode globalOnly = valid();
        globalOnly.putObject("custom_args").put("global", "g".repeat(10_001));
        rejected(globalOnly, "custom_args", "may not exceed 10,000 bytes");
    }

    @Test
    void sendAtIsAUnixTimestampAtMost72HoursAhead() {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode soon = valid();
        soon.put("send_at", now + 71 * 3600);
        accepted(soon);

        ObjectNode past = valid();
        past.put("send_at", now - 3600); // SendGrid sends a past send_at immediately
        accepted(past);

        ObjectNode tooFar = valid();
        tooFar.put("send_at", now + 73 * 3600);
        rejected(tooFar, "send_at", "Scheduling more than 72 hours in advance is forbidden.");

        ObjectNode milliseconds = valid();
        milliseconds.put("send_at", System.currentTimeMillis());
        rejected(milliseconds, "send_at", "Scheduling more than 72 hours in advance is forbidden.");

        ObjectNode text = valid();
        text.put("send_at", "tomorrow");
        rejected(text, "send_at", "expecting a UNIX timestamp as an integer");

        ObjectNode negative = valid();
        personalization(negative, 0).put("send_at", -5);
        rejected(negative, "personalizations.0.send_at", "expecting a UNIX timestamp as an integer");
    }

    @Test
    void headersMayNotSetReservedNames() {
        ObjectNode custom = valid();
        custom.putObject("headers").put("X-Campaign", "spring");
        personalization(custom, 0).putObject("headers").put("X-Customer", "42");
        accepted(custom);

        for (String reserved : Set.of("x-sg-id", "X-SG-EID", "Received", "DKIM-Signature", "Content-Type",
                "Content-Transfer-Encoding", "To", "From", "Subject", "Reply-To", "CC", "bcc")) {
            ObjectNode body = valid();
            body.putObject("headers").put(reserved, "x");
            rejected(body, "headers", "Header can not be one of the reserved keys.");
        }

        ObjectNode perPersonalization = valid();
        personalization(perPersonalization, 0).putObject("headers").put("Reply-To", "x@example.com");
        rejected(perPersonalization, "personalizations.0.headers", "reserved keys");

        ObjectNode notString = valid();
        notString.putObject("headers").put("X-Count", 3);
        rejected(notString, "headers", "The header values must be strings.");

        ObjectNode space = valid();
        space.putObject("headers").put("X Campaign", "spring");
        rejected(space, "headers", "can't contain non-ASCII characters and empty spaces");
    }

    @Test
    void asmNeedsAnIntegerGroupAndShowsAtMost25Groups() {
        ObjectNode body = valid();
        ObjectNode asm = body.putObject("asm");
        asm.put("group_id", 12345);
        ArrayNode display = asm.putArray("groups_to_display");
        for (int i = 0; i < 25; i++) {
            display.add(i + 1);
        }
        accepted(body);

        display.add(26);
        rejected(body, "asm.groups_to_display", "There is a limit of 25 unsubscribe groups");

        ObjectNode noGroup = valid();
        noGroup.putObject("asm").putArray("groups_to_display").add(1);
        rejected(noGroup, "asm.group_id", "The ASM group ID must be an integer.");

        ObjectNode textGroup = valid();
        textGroup.putObject("asm").put("group_id", "12345");
        rejected(textGroup, "asm.group_id", "must be an integer");
    }

    @Test
    void ipPoolNamesHave2To64Characters() {
        ObjectNode body = valid();
        body.put("ip_pool_name", "transactional email");
        accepted(body);
        body.put("ip_pool_name", "ab");
        accepted(body);

        body.put("ip_pool_name", "a");
        rejected(body, "ip_pool_name", "between 2 and 64 characters");
        body.put("ip_pool_name", "p".repeat(65));
        rejected(body, "ip_pool_name", "between 2 and 64 characters");
        body.put("ip_pool_name", 7);
        rejected(body, "ip_pool_name", "The name of your IP pool must be a string.");
    }

    @Test
    void aBatchIdIsAString() {
        ObjectNode body = valid();
        body.put("batch_id", "HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi");
        accepted(body);

        body.put("batch_id", 123);
        rejected(body, "batch_id", "The batch_id must be a string.");
    }

    @Test
    void attachmentsNeedBase64ContentAndAFilename() {
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 receipt".getBytes());
        ObjectNode body = valid();
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("content", pdf).put("filename", "receipt.pdf").put("type", "application/pdf").put("disposition", "attachment");
        String id = accepted(body).header("X-Message-Id");
        JsonNode stored = new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/mail/" + id).json();
        assertThat(stored.at("/attachments/0/filename").asText()).isEqualTo("receipt.pdf");
        assertThat(stored.at("/attachments/0/size").asInt()).isEqualTo("%PDF-1.4 receipt".length());
        assertThat(stored.at("/attachments/0/content").isMissingNode()).isTrue();

        attachment.remove("type"); // the spec requires only content and filename
        accepted(body);

        attachment.put("content", "this is not base64!");
        rejected(body, "attachments.0.content", "The attachment content must be base64 encoded.");

        attachment.put("content", pdf).remove("filename");
        rejected(body, "attachments.0.filename", "filename is required.");

        attachment.put("filename", "receipt.pdf").put("type", "");
        rejected(body, "attachments.0.type", "must be a string and at least one character in length");

        attachment.put("type", "application/pdf").put("disposition", "download");
        rejected(body, "attachments.0.disposition", "either \"inline\" or \"attachment\". You provided download.");
    }

    @Test
    void mailAndTrackingSettingsTakeBooleans() {
        ObjectNode body = valid();
        body.putObject("mail_settings").putObject("bypass_list_management").put("enable", false);
        body.putObject("tracking_settings").putObject("click_tracking").put("enable", true).put("enable_text", false);
        accepted(body);

        ObjectNode sandboxText = valid();
        sandboxText.putObject("mail_settings").putObject("sandbox_mode").put("enable", "yes");
        rejected(sandboxText, "mail_settings.sandbox_mode.enable", "The sandbox mode enable param should be a boolean value.");

        ObjectNode openTracking = valid();
        openTracking.putObject("tracking_settings").putObject("open_tracking").put("enable", 1);
        rejected(openTracking, "tracking_settings.open_tracking.enable", "should be a boolean value");

        ObjectNode bypasses = valid();
        ObjectNode settings = bypasses.putObject("mail_settings");
        settings.putObject("bypass_list_management").put("enable", true);
        settings.putObject("bypass_spam_management").put("enable", true);
        rejected(bypasses, "mail_settings.bypass_list_management", "cannot be combined with any other bypass filter");
    }

    @Test
    void sandboxModeValidatesAnswers200AndKeepsNothing() {
        ObjectNode body = valid();
        body.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEmpty();
        assertThat(emulator.sentMail().size()).isZero();

        body.remove("from"); // sandbox mode still validates
        rejected(body, "from", "The from object must be provided");
    }

    @Test
    void everyProblemOfARequestIsReportedAtOnce() {
        ObjectNode body = valid();
        body.remove("from");
        body.remove("subject");
        body.putArray("categories").add("a").add("a");
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("from", "subject", "categories.1");
    }

    @Test
    void aRequestOver30MegabytesIs413() {
        ObjectNode body = valid();
        // 31 MiB of base64: one attachment far over the limit
        body.putArray("attachments").addObject().put("filename", "big.bin").put("content", "A".repeat(31 * 1024 * 1024));
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().at("/errors/0/message").asText()).startsWith("content too large");
        assertThat(emulator.sentMail().size()).isZero();
    }

    @Test
    void malformedJsonIs400AndAKeyWithoutMailSendIs403() {
        SendGridHttp.Response bad = sg.post("/v3/mail/send", "{\"personalizations\": [");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/message").asText()).startsWith("invalid JSON");

        emulator.close();
        emulator = Emulator.start(new EmulatorConfig().port(0).apiKey("SG.readonly", Set.of("marketing.read")));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.readonly");
        SendGridHttp.Response forbidden = sg.post("/v3/mail/send", valid());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().at("/errors/0/message").asText()).isEqualTo("access forbidden");
    }
}
