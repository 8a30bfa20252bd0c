package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Mail Send request bodies for tests: a minimal valid one to start from and change. */
public final class MailBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MailBodies() {}

    /** One recipient, a from, a subject and a text/plain part: what SendGrid needs at least. */
    public static ObjectNode valid() {
        return json("""
                {"personalizations": [{"to": [{"email": "alex@example.com", "name": "Alex"}]}],
                 "from": {"email": "orders@example.com", "name": "Example Shop"},
                 "subject": "Your order",
                 "content": [{"type": "text/plain", "value": "Thanks for your order."}]}
                """);
    }

    public static ObjectNode json(String s) {
        try {
            return (ObjectNode) MAPPER.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
