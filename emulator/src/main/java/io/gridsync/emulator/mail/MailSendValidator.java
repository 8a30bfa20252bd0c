package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SendGrid's Mail Send rules ({@code tsg_mail_v3.json} and SendGrid's Mail Send error reference),
 * checked on the parsed body. Every violation found is reported, as SendGrid reports all problems
 * of a request at once; a part whose shape is wrong (e.g. {@code to} is not an array) is not
 * looked into further, so one mistake does not produce a cascade of errors.
 */
public final class MailSendValidator {

    public static final int MAX_PERSONALIZATIONS = 1000;
    public static final int MAX_RECIPIENTS = 1000;
    public static final int MAX_CATEGORIES = 10;
    public static final int MAX_CATEGORY_LENGTH = 255;
    public static final int MAX_CUSTOM_ARGS_BYTES = 10_000;
    public static final int MAX_GROUPS_TO_DISPLAY = 25;
    public static final int MAX_REPLY_TO_LIST = 1000;
    public static final long MAX_SCHEDULE_AHEAD_SECONDS = 72L * 3600;

    /** Headers SendGrid sets itself; a request may not set them (compared case-insensitively). */
    public static final Set<String> RESERVED_HEADERS = Set.of("x-sg-id", "x-sg-eid", "received", "dkim-signature",
            "content-type", "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc");

    private static final Pattern DYNAMIC_TEMPLATE_ID = Pattern.compile("d-[A-Za-z0-9]+");
    private static final Pattern LEGACY_TEMPLATE_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String EXAMPLE = " e.g. {\"email\" : \"example@example.com\"}  or "
            + "{\"email\" : \"example@example.com\", \"name\" : \"Example Recipient\"}";

    static final String PERSONALIZATIONS_REQUIRED =
            "The personalizations field is required and must have at least one personalization.";
    static final String TO_REQUIRED = "The to array is required for all personalization objects, and must have "
            + "at least one email object with a valid email address.";
    static final String INVALID_ADDRESS = "Does not contain a valid address.";
    static final String FROM_REQUIRED = "The from object must be provided for every email send. It is an object "
            + "that requires the email parameter, but may also contain a name parameter." + EXAMPLE + ".";
    static final String SUBJECT_REQUIRED = "The subject is required. You can get around this requirement if you "
            + "use a template with a subject defined or if every personalization has a subject defined.";
    static final String SUBJECT_STRING = "The subject of your email must be a string at least one character in length.";
    static final String CONTENT_REQUIRED = "Unless a valid template_id is provided, the content parameter is "
            + "required. There must be at least one defined content block. We typically suggest both text/plain "
            + "and text/html blocks are included, but only one block is required.";
    static final String CONTENT_ORDER = "Following RFC 1341, section 7.2, if either text/plain or text/html are to "
            + "be sent in your email: text/plain needs to be first, followed by text/html, followed by any other content.";
    static final String SEND_AT_INTEGER = "The send_at parameter is expecting a UNIX timestamp as an integer. We will "
            + "send immediately if you include a send_at timestamp that is in the past.";
    static final String SEND_AT_TOO_FAR = "Scheduling more than 72 hours in advance is forbidden.";
    static final String CUSTOM_ARGS_STRINGS = "All values of custom arguments object must be strings";
    static final String CUSTOM_ARGS_SIZE = "The combined size of both global and personalization custom arguments "
            + "may not exceed 10,000 bytes per personalization.";
    static final String RESERVED_HEADER = "Header can not be one of the reserved keys.";

    private final Predicate<String> templateExists;

    /** @param templateExists tells whether a template id exists in the account; null checks the id's format only */
    public MailSendValidator(Predicate<String> templateExists) {
        this.templateExists = templateExists;
    }

    public List<MailSendError> validate(ObjectNode body, long nowEpochSeconds) {
        Check c = new Check(nowEpochSeconds);
        boolean hasTemplate = c.templateId(body.get("template_id"));
        Map<String, String> globalArgs = c.customArgs("custom_args", body.get("custom_args"));
        boolean everyPersonalizationHasSubject = c.personalizations(body.get("personalizations"), globalArgs);
        c.from("from", body.get("from"), true);
        c.replyTo(body.get("reply_to"), body.get("reply_to_list"));
        boolean hasSubject = c.subject("subject", body.get("subject"));
        if (!hasSubject && !hasTemplate && !everyPersonalizationHasSubject) {
            c.add("subject", SUBJECT_REQUIRED);
        }
        c.content(body.get("content"), hasTemplate);
        c.attachments(body.get("attachments"));
        c.categories(body.get("categories"));
        c.sendAt("send_at", body.get("send_at"));
        c.headers("headers", body.get("headers"), "The header values must be strings.");
        c.stringValues("sections", body.get("sections"), "The section values must be strings.");
        c.asm(body.get("asm"));
        c.ipPool(body.get("ip_pool_name"));
        c.batchId(body.get("batch_id"));
        c.mailSettings(body.get("mail_settings"));
        c.trackingSettings(body.get("tracking_settings"));
        return c.errors;
    }

    /** True when the body asks for sandbox mode: validate, answer 200, send nothing. */
    public static boolean sandbox(ObjectNode body) {
        return body.path("mail_settings").path("sandbox_mode").path("enable").asBoolean(false);
    }

    /** The JSON type name SendGrid's messages use ("Invalid type. Expected: object, given: array."). */
    static String typeName(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        return n.isNumber() ? "number" : n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull();
    }

    private static boolean hasCrLf(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(ch -> ch < 128);
    }

    /** One validation run: the errors found so far and the helpers that add to them. */
    private final class Check {
        final List<MailSendError> errors = new ArrayList<>();
        final long now;

        Check(long now) {
            this.now = now;
        }

        void add(String field, String message) {
            errors.add(new MailSendError(field, message));
        }

        void typeError(String field, String expected, JsonNode given) {
            add(field, "Invalid type. Expected: " + expected + ", given: " + typeName(given) + ".");
        }

        /** Returns true when a template id is given (valid or not, so a bad id does not also cost a subject error). */
        boolean templateId(JsonNode node) {
            if (!present(node)) {
                return false;
            }
            if (!node.isTextual()) {
                add("template_id", "The template_id must be a string, you provided " + node + ".");
                return true;
            }
            String id = node.asText();
            if (!DYNAMIC_TEMPLATE_ID.matcher(id).matches() && !LEGACY_TEMPLATE_ID.matcher(id).matches()) {
                add("template_id", "The template_id must be a valid GUID, you provided '" + id + "'.");
            } else if (templateExists != null && !templateExists.test(id)) {
                add("template_id", "The template_id must be a valid template id for your account. You provided " + id + ".");
            }
            return true;
        }

        /** Validates the personalizations; returns whether every one of them has a subject. */
        boolean personalizations(JsonNode ps, Map<String, String> globalArgs) {
            if (!present(ps)) {
                add("personalizations", PERSONALIZATIONS_REQUIRED);
                return false;
            }
            if (!ps.isArray()) {
                typeError("personalizations", "array", ps);
                return false;
            }
            if (ps.isEmpty()) {
                add("personalizations", PERSONALIZATIONS_REQUIRED);
                return false;
            }
            if (ps.size() > MAX_PERSONALIZATIONS) {
                add("personalizations", "The personalization block is limited to " + MAX_PERSONALIZATIONS
                        + " personalizations per API request. You have provided " + ps.size() + " personalizations. "
                        + "Please consider splitting this into multiple requests and resending your request.");
                return false;
            }
            boolean allSubjects = true;
            int recipients = 0;
            boolean globalArgsTooBig = false;
            for (int i = 0; i < ps.size(); i++) {
                String field = "personalizations." + i;
                JsonNode p = ps.get(i);
                if (!p.isObject()) {
                    typeError(field, "object", p);
                    allSubjects = false;
                    continue;
                }
                recipients += recipients(field + ".to", p.get("to"), "to", true);
                recipients += recipients(field + ".cc", p.get("cc"), "cc", false);
                recipients += recipients(field + ".bcc", p.get("bcc"), "bcc", false);
                duplicates(field, p);
                if (p.has("from")) {
                    from(field + ".from", p.get("from"), false);
                }
                allSubjects &= subject(field + ".subject", p.get("subject"));
                headers(field + ".headers", p.get("headers"), "All values of the headers object must be strings.");
                stringValues(field + ".substitutions", p.get("substitutions"),
                        "The substitution values must be an object of key/value pairs, where the values are all strings.");
                JsonNode data = p.get("dynamic_template_data");
                if (present(data) && !data.isObject()) {
                    typeError(field + ".dynamic_template_data", "object", data);
                }
                Map<String, String> args = customArgs(field + ".custom_args", p.get("custom_args"));
                if (args != null || globalArgs != null) {
                    Map<String, String> merged = new LinkedHashMap<>();
                    if (globalArgs != null) {
                        merged.putAll(globalArgs);
                    }
                    if (args != null) {
                        merged.putAll(args);
                    }
                    if (jsonBytes(merged) > MAX_CUSTOM_ARGS_BYTES) {
                        if (args == null) {
                            globalArgsTooBig = true;
                        } else {
                            add(field + ".custom_args", CUSTOM_ARGS_SIZE);
                        }
                    }
                }
                sendAt(field + ".send_at", p.get("send_at"));
            }
            if (globalArgsTooBig) {
                add("custom_args", CUSTOM_ARGS_SIZE);
            }
            if (recipients > MAX_RECIPIENTS) {
                add("personalizations", "There is a limit of " + MAX_RECIPIENTS + " total recipients (to + cc + bcc) per "
                        + "request. You have provided " + recipients + " recipients.");
            }
            return allSubjects;
        }

        /** Checks one of to/cc/bcc; returns how many recipients it lists. */
        int recipients(String field, JsonNode list, String kind, boolean required) {
            if (!present(list)) {
                if (required) {
                    add(field, TO_REQUIRED);
                }
                return 0;
            }
            if (!list.isArray()) {
                if (required) {
                    add(field, TO_REQUIRED);
                } else {
                    typeError(field, "array", list);
                }
                return 0;
            }
            if (list.isEmpty()) {
                add(field, required ? TO_REQUIRED : "The " + kind + " array, when used, must at least have an email "
                        + "parameter with a valid email address and it may also contain a name parameter." + EXAMPLE);
                return 0;
            }
            for (int j = 0; j < list.size(); j++) {
                address(field + "." + j, list.get(j), "The " + kind + " email parameter is required.",
                        "Each recipient object must at least have an email address and may also contain a name." + EXAMPLE);
            }
            return list.size();
        }

        /** An {email, name} object; returns the address when it is valid. */
        String address(String field, JsonNode r, String missingEmail, String notAnObject) {
            if (!r.isObject()) {
                add(field, notAnObject);
                return null;
            }
            JsonNode email = r.get("email");
            String result = null;
            if (!present(email) || (email.isTextual() && email.asText().isEmpty())) {
                add(field + ".email", missingEmail);
            } else if (!email.isTextual()) {
                typeError(field + ".email", "string", email);
            } else if (!EmailAddresses.isValid(email.asText())) {
                add(field + ".email", INVALID_ADDRESS);
            } else {
                result = email.asText();
            }
            JsonNode name = r.get("name");
            if (present(name) && !name.isTextual()) {
                typeError(field + ".name", "string", name);
            }
            return result;
        }

        /** An address may appear once per personalization across to, cc and bcc, compared case-insensitively. */
        void duplicates(String field, JsonNode p) {
            Set<String> seen = new HashSet<>();
            for (String kind : List.of("to", "cc", "bcc")) {
                JsonNode list = p.get(kind);
                if (list == null || !list.isArray()) {
                    continue;
                }
                for (JsonNode r : list) {
                    String email = r.path("email").isTextual() ? r.path("email").asText() : null;
                    if (email == null || email.isEmpty()) {
                        continue;
                    }
                    if (!seen.add(email.toLowerCase(Locale.ROOT))) {
                        add(field, "Each email address in the personalization block should be unique between to, cc, "
                                + "and bcc. We found the first duplicate instance of [" + email + "] in the "
                                + field + "." + kind + " field.");
                        return;
                    }
                }
            }
        }

        void from(String field, JsonNode from, boolean required) {
            if (!present(from)) {
                if (required) {
                    add(field, FROM_REQUIRED);
                }
                return;
            }
            if (!from.isObject()) {
                typeError(field, "object", from);
                return;
            }
            address(field, from, FROM_REQUIRED, FROM_REQUIRED);
        }

        void replyTo(JsonNode replyTo, JsonNode list) {
            String replyToMessage = "The reply_to object, when used, must at least have an email parameter with a "
                    + "valid email address and it may also contain a name parameter." + EXAMPLE;
            if (present(replyTo)) {
                if (!replyTo.isObject()) {
                    typeError("reply_to", "object", replyTo);
                } else {
                    address("reply_to", replyTo, replyToMessage, replyToMessage);
                }
            }
            if (!present(list)) {
                return;
            }
            if (present(replyTo)) {
                add("reply_to_list", "You can use either the reply_to property or reply_to_list property but not both. "
                        + "Use reply_to for one address or reply_to_list for several.");
            }
            if (!list.isArray()) {
                typeError("reply_to_list", "array", list);
                return;
            }
            String itemMessage = "The reply_to_list object, when used, must at least have an email parameter and may "
                    + "also contain a name parameter";
            if (list.isEmpty()) {
                add("reply_to_list", itemMessage);
                return;
            }
            if (list.size() > MAX_REPLY_TO_LIST) {
                add("reply_to_list", "The reply_to_list is limited to " + MAX_REPLY_TO_LIST + " addresses. You provided "
                        + list.size() + ".");
                return;
            }
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < list.size(); j++) {
                String email = address("reply_to_list." + j, list.get(j), itemMessage, itemMessage);
                if (email != null && !seen.add(email.toLowerCase(Locale.ROOT))) {
                    add("reply_to_list." + j + ".email", "Each email address in reply_to_list must be unique. You have "
                            + "included " + email + " more than once.");
                }
            }
        }

        /** Returns true when a usable subject is present. */
        boolean subject(String field, JsonNode subject) {
            if (!present(subject)) {
                return false;
            }
            if (!subject.isTextual() || subject.asText().isEmpty()) {
                add(field, SUBJECT_STRING);
                return false;
            }
            return true;
        }

        void content(JsonNode content, boolean hasTemplate) {
            if (!present(content)) {
                if (!hasTemplate) {
                    add("content", CONTENT_REQUIRED);
                }
                return;
            }
            if (!content.isArray()) {
                typeError("content", "array", content);
                return;
            }
            if (content.isEmpty()) {
                if (!hasTemplate) {
                    add("content", CONTENT_REQUIRED);
                }
                return;
            }
            int plainAt = -1;
            int htmlAt = -1;
            for (int i = 0; i < content.size(); i++) {
                String field = "content." + i;
                JsonNode part = content.get(i);
                if (!part.isObject()) {
                    typeError(field, "object", part);
                    continue;
                }
                JsonNode type = part.get("type");
                if (!present(type)) {
                    add(field + ".type", "A content type is required, this tells email clients how to display the email.");
                } else if (!type.isTextual() || type.asText().isEmpty()) {
                    add(field + ".type", "Your content type must be a string with length of at least one character.");
                } else if (type.asText().indexOf(';') >= 0 || hasCrLf(type.asText())) {
                    add(field + ".type", "Cannot contain ';', or CRLF characters.");
                } else if (type.asText().equalsIgnoreCase("text/plain") && plainAt < 0) {
                    plainAt = i;
                } else if (type.asText().equalsIgnoreCase("text/html") && htmlAt < 0) {
                    htmlAt = i;
                }
                JsonNode value = part.get("value");
                if (!present(value)) {
                    add(field + ".value", "A content value is required, this is the content of the email you are sending.");
                } else if (!value.isTextual() || value.asText().isEmpty()) {
                    add(field + ".value", "The content value must be a string at least one character in length.");
                }
            }
            boolean plainNotFirst = plainAt > 0;
            boolean htmlMisplaced = htmlAt >= 0 && htmlAt != (plainAt >= 0 ? 1 : 0);
            if (plainNotFirst || htmlMisplaced) {
                add("content", CONTENT_ORDER);
            }
        }

        void attachments(JsonNode attachments) {
            if (!present(attachments)) {
                return;
            }
            if (!attachments.isArray()) {
                typeError("attachments", "array", attachments);
                return;
            }
            for (int i = 0; i < attachments.size(); i++) {
                String field = "attachments." + i;
                JsonNode a = attachments.get(i);
                if (!a.isObject()) {
                    typeError(field, "object", a);
                    continue;
                }
                JsonNode content = a.get("content");
                if (!present(content) || !content.isTextual() || content.asText().isEmpty()) {
                    add(field + ".content", "The attachment content must be a string at least one character in length.");
                } else if (!isBase64(content.asText())) {
                    add(field + ".content", "The attachment content must be base64 encoded.");
                }
                JsonNode filename = a.get("filename");
                if (!present(filename) || (filename.isTextual() && filename.asText().isEmpty())) {
                    add(field + ".filename", "filename is required.");
                } else if (!filename.isTextual()) {
                    add(field + ".filename", "The filename of your attachment must be a string.");
                } else if (hasCrLf(filename.asText())) {
                    add(field + ".filename", "The filename of your attachment can't contain CRLF characters.");
                }
                JsonNode type = a.get("type");
                if (present(type)) {
                    if (!type.isTextual() || type.asText().isEmpty()) {
                        add(field + ".type", "The attachment type must be a string and at least one character in length.");
                    } else if (type.asText().indexOf(';') >= 0 || hasCrLf(type.asText())) {
                        add(field + ".type", "The type can't contain ';', or CRLF characters.");
                    }
                }
                JsonNode disposition = a.get("disposition");
                if (present(disposition) && !(disposition.isTextual()
                        && (disposition.asText().equals("inline") || disposition.asText().equals("attachment")))) {
                    add(field + ".disposition", "The disposition of your attachment can be either \"inline\" or "
                            + "\"attachment\". You provided " + (disposition.isTextual() ? disposition.asText() : disposition.toString()) + ".");
                }
                JsonNode contentId = a.get("content_id");
                if (present(contentId)) {
                    if (!contentId.isTextual()) {
                        add(field + ".content_id", "The content ID of your attachment must be a string. You provided " + contentId + ".");
                    } else if (hasCrLf(contentId.asText())) {
                        add(field + ".content_id", "The content ID of your attachment can't contain CRLF characters.");
                    }
                }
            }
        }

        void categories(JsonNode categories) {
            if (!present(categories)) {
                return;
            }
            if (!categories.isArray()) {
                add("categories", "Categories must be an array of strings.");
                return;
            }
            if (categories.size() > MAX_CATEGORIES) {
                add("categories", "There is a limit of " + MAX_CATEGORIES + " categories for each email that is sent. "
                        + "You provided " + categories.size() + " categories.");
                return;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < categories.size(); i++) {
                JsonNode c = categories.get(i);
                String field = "categories." + i;
                if (!c.isTextual()) {
                    add(field, "Categories must be an array of strings.");
                    continue;
                }
                String name = c.asText();
                if (name.length() > MAX_CATEGORY_LENGTH) {
                    add(field, "Each category must not be longer than " + MAX_CATEGORY_LENGTH + " characters. "
                            + name + " exceeds this limit.");
                } else if (!isAscii(name)) {
                    add(field, "Categories can not contain non-ASCII characters.");
                } else if (!seen.add(name)) {
                    add(field, "The categories must be a unique list, and you have included " + name + " more than once.");
                }
            }
        }

        /** Custom arguments: an object of strings; returns them, or null when absent or malformed. */
        Map<String, String> customArgs(String field, JsonNode args) {
            if (!present(args)) {
                return null;
            }
            if (!args.isObject()) {
                typeError(field, "object", args);
                return null;
            }
            if (args.isEmpty()) {
                add(field, "custom_args can't be empty. Omit custom_args when there are none.");
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) args::fields) {
                if (!e.getValue().isTextual()) {
                    add(field, CUSTOM_ARGS_STRINGS + "; " + e.getKey() + " is " + typeName(e.getValue())
                            + ", send it as a string (e.g. \"" + e.getValue().asText() + "\").");
                    return null;
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            if (jsonBytes(out) > MAX_CUSTOM_ARGS_BYTES) {
                add(field, CUSTOM_ARGS_SIZE);
                return null;
            }
            return out;
        }

        void sendAt(String field, JsonNode sendAt) {
            if (!present(sendAt)) {
                return;
            }
            if (!sendAt.isIntegralNumber() || !sendAt.canConvertToLong() || sendAt.asLong() < 0) {
                add(field, SEND_AT_INTEGER);
            } else if (sendAt.asLong() > now + MAX_SCHEDULE_AHEAD_SECONDS) {
                add(field, SEND_AT_TOO_FAR);
            }
        }

        void headers(String field, JsonNode headers, String valuesMessage) {
            if (!present(headers)) {
                return;
            }
            if (!headers.isObject()) {
                typeError(field, "object", headers);
                return;
            }
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) headers::fields) {
                String key = e.getKey();
                if (RESERVED_HEADERS.contains(key.toLowerCase(Locale.ROOT))) {
                    add(field, RESERVED_HEADER + " You provided " + key + "; SendGrid sets it itself.");
                } else if (key.isEmpty() || !isAscii(key) || key.chars().anyMatch(Character::isWhitespace)) {
                    add(field, "Header keys can't contain non-ASCII characters and empty spaces. You provided '" + key + "'.");
                } else if (!seen.add(key.toLowerCase(Locale.ROOT))) {
                    add(field, "The headers can't contain duplicate keys. You provided " + key + " more than once.");
                }
                if (!e.getValue().isTextual()) {
                    add(field, valuesMessage);
                }
            }
        }

        void stringValues(String field, JsonNode node, String message) {
            if (!present(node)) {
                return;
            }
            if (!node.isObject()) {
                typeError(field, "object", node);
                return;
            }
            for (JsonNode v : node) {
                if (!v.isTextual()) {
                    add(field, message);
                    return;
                }
            }
        }

        void asm(JsonNode asm) {
            if (!present(asm)) {
                return;
            }
            if (!asm.isObject()) {
                typeError("asm", "object", asm);
                return;
            }
            JsonNode group = asm.get("group_id");
            if (!present(group) || !group.isIntegralNumber() || !group.canConvertToInt()) {
                add("asm.group_id", "The ASM group ID must be an integer.");
            }
            JsonNode display = asm.get("groups_to_display");
            if (present(display)) {
                boolean ints = display.isArray();
                if (ints) {
                    for (JsonNode g : display) {
                        ints &= g.isIntegralNumber() && g.canConvertToInt();
                    }
                }
                if (!ints) {
                    add("asm.groups_to_display", "The ASM Group IDs to display must be an array of integers.");
                } else if (display.size() > MAX_GROUPS_TO_DISPLAY) {
                    add("asm.groups_to_display", "There is a limit of " + MAX_GROUPS_TO_DISPLAY
                            + " unsubscribe groups that can be displayed to a user at a time.");
                }
            }
        }

        void ipPool(JsonNode pool) {
            if (!present(pool)) {
                return;
            }
            if (!pool.isTextual()) {
                add("ip_pool_name", "The name of your IP pool must be a string.");
            } else if (pool.asText().length() < 2 || pool.asText().length() > 64) {
                add("ip_pool_name", "The IP pool name must be between 2 and 64 characters long. You provided "
                        + pool.asText().length() + " characters.");
            }
        }

        void batchId(JsonNode batch) {
            if (present(batch) && !batch.isTextual()) {
                add("batch_id", "The batch_id must be a string.");
            }
        }

        void mailSettings(JsonNode settings) {
            if (!present(settings)) {
                return;
            }
            if (!settings.isObject()) {
                typeError("mail_settings", "object", settings);
                return;
            }
            String base = "mail_settings.";
            bool("mail_settings.", settings, "bcc", "enable", "The bcc enable param should be a Boolean value.");
            bool("mail_settings.", settings, "bypass_list_management", "enable", "The bypass list management enable param should be a Boolean value.");
            bool("mail_settings.", settings, "bypass_spam_management", "enable", "The bypass spam management enable param should be a Boolean value.");
            bool("mail_settings.", settings, "bypass_bounce_management", "enable", "The bypass bounce management enable param should be a Boolean value.");
            bool("mail_settings.", settings, "bypass_unsubscribe_management", "enable", "The bypass unsubscribe management enable param should be a Boolean value.");
            bool("mail_settings.", settings, "footer", "enable", "The footer enable param should be a Boolean value.");
            string("mail_settings.", settings, "footer", "text", "The text/plain version of your footer should be a string.");
            string("mail_settings.", settings, "footer", "html", "The text/html version of your footer should be a string.");
            bool("mail_settings.", settings, "sandbox_mode", "enable", "The sandbox mode enable param should be a boolean value.");
            bool("mail_settings.", settings, "spam_check", "enable", "The spam check enable param should be a boolean value.");
            string("mail_settings.", settings, "spam_check", "post_to_url", "The spam check url must be a string.");
            JsonNode spam = settings.get("spam_check");
            if (spam != null && spam.path("enable").asBoolean(false)) {
                JsonNode threshold = spam.get("threshold");
                if (threshold == null || !threshold.isIntegralNumber() || threshold.asInt() < 1 || threshold.asInt() > 10) {
                    add(base + "spam_check.threshold", "The spam check threshold is between 1 and 10, with the lower "
                            + "numbers being the most strict filtering.");
                }
                JsonNode url = spam.get("post_to_url");
                if (url != null && url.isTextual() && !url.asText().startsWith("http://") && !url.asText().startsWith("https://")) {
                    add(base + "spam_check.post_to_url", "The post_to_url parameter must start with http:// or https://.");
                }
            }
            boolean listBypass = settings.path("bypass_list_management").path("enable").asBoolean(false);
            boolean otherBypass = settings.path("bypass_spam_management").path("enable").asBoolean(false)
                    || settings.path("bypass_bounce_management").path("enable").asBoolean(false)
                    || settings.path("bypass_unsubscribe_management").path("enable").asBoolean(false);
            if (listBypass && otherBypass) {
                add(base + "bypass_list_management", "bypass_list_management cannot be combined with any other bypass "
                        + "filter; enable either bypass_list_management or the spam, bounce and unsubscribe bypasses.");
            }
        }

        void trackingSettings(JsonNode settings) {
            if (!present(settings)) {
                return;
            }
            if (!settings.isObject()) {
                typeError("tracking_settings", "object", settings);
                return;
            }
            bool("tracking_settings.", settings, "click_tracking", "enable", "The click tracking enable param should be a boolean value.");
            bool("tracking_settings.", settings, "click_tracking", "enable_text", "The click tracking enable text must be a boolean value.");
            bool("tracking_settings.", settings, "open_tracking", "enable", "The open tracking enable param should be a boolean value.");
            string("tracking_settings.", settings, "open_tracking", "substitution_tag", "The open tracking substitution tag must be a string.");
            bool("tracking_settings.", settings, "subscription_tracking", "enable", "The subscription tracking enable param should be a boolean value.");
            string("tracking_settings.", settings, "subscription_tracking", "text", "The subscription tracking unsubscribe content for text/plain messages must be a string.");
            string("tracking_settings.", settings, "subscription_tracking", "html", "The subscription tracking unsubscribe content for text/html messages must be a string.");
            string("tracking_settings.", settings, "subscription_tracking", "substitution_tag", "The subscription tracking substitution tag must be a string value.");
            bool("tracking_settings.", settings, "ganalytics", "enable", "The Google Analytics enable param must be a boolean value.");
            for (String utm : List.of("utm_source", "utm_medium", "utm_term", "utm_content", "utm_campaign")) {
                string("tracking_settings.", settings, "ganalytics", utm, "The Google Analytics " + utm + " must be a string value.");
            }
        }

        private void bool(String base, JsonNode settings, String setting, String key, String message) {
            JsonNode v = settingValue(base, settings, setting, key);
            if (present(v) && !v.isBoolean()) {
                add(base + setting + "." + key, message);
            }
        }

        private void string(String base, JsonNode settings, String setting, String key, String message) {
            JsonNode v = settingValue(base, settings, setting, key);
            if (present(v) && !v.isTextual()) {
                add(base + setting + "." + key, message);
            }
        }

        private final Set<String> reportedSettings = new HashSet<>();

        /** The value of one key of a setting object; a setting that is not an object is reported once. */
        private JsonNode settingValue(String base, JsonNode settings, String setting, String key) {
            JsonNode s = settings.get(setting);
            if (!present(s)) {
                return null;
            }
            if (!s.isObject()) {
                String field = base + setting;
                if (reportedSettings.add(field)) {
                    typeError(field, "object", s);
                }
                return null;
            }
            return s.get(key);
        }
    }

    static boolean isBase64(String s) {
        String compact = s.replace("\r", "").replace("\n", "");
        if (compact.isEmpty() || compact.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(compact);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static int jsonBytes(Map<String, String> args) {
        ObjectNode o = Json.object();
        args.forEach(o::put);
        return o.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
