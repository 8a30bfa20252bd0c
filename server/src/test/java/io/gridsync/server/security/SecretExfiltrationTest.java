package io.gridsync.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.gridsync.server.security.AttackedHub.SG_KEY;
import static io.gridsync.server.security.AttackedHub.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An admin-token holder pointing the hub's outbound calls somewhere new to catch the secrets they carry. */
class SecretExfiltrationTest {

    @TempDir
    Path dir;
    AttackedHub h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void changingTheEndpointNeedsTheKeyAndTheOldKeyNeverTravels() throws Exception {
        h = new AttackedHub(dir, Map.of(), true); // the listener is allowed, so only the missing key stops the change
        String id = h.installSendGrid();

        AttackedHub.Answer noKey = h.admin("PATCH", "/v1/admin/integrations/" + id, "{\"endpoint\": " + json(h.listenerUrl()) + "}");
        assertThat(noKey.status()).as(noKey.body()).isEqualTo(400);
        assertThat(noKey.body()).contains("api_key");
        h.admin("POST", "/v1/admin/integrations/" + id + "/test", null);
        assertThat(h.received).noneMatch(r -> r.contains(SG_KEY));

        AttackedHub.Answer withKey = h.admin("PATCH", "/v1/admin/integrations/" + id,
                "{\"endpoint\": " + json(h.listenerUrl()) + ", \"api_key\": \"SG.a-key-the-admin-owns\"}");
        assertThat(withKey.status()).as(withKey.body()).isEqualTo(200);
        h.admin("POST", "/v1/admin/integrations/" + id + "/test", null);
        assertThat(h.received).isNotEmpty().noneMatch(r -> r.contains(SG_KEY)).anyMatch(r -> r.contains("SG.a-key-the-admin-owns"));
    }

    @Test
    void anEndpointOutsideTheAllowListIsRefusedEvenWithAKey() throws Exception {
        h = new AttackedHub(dir, Map.of());
        String id = h.installSendGrid();
        AttackedHub.Answer r = h.admin("PATCH", "/v1/admin/integrations/" + id,
                "{\"endpoint\": " + json(h.listenerUrl()) + ", \"api_key\": \"SG.other\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("GRIDSYNC_ALLOWED_ENDPOINTS");
        AttackedHub.Answer install = h.admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"Other","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"SG.x","endpoint":"%s"}}""".formatted(h.listenerUrl() + "/"));
        assertThat(install.status()).as(install.body()).isEqualTo(400);
        // a prefix must end at a path boundary: http://127.0.0.1:1 does not allow http://127.0.0.1:18999
        AttackedHub.Answer lookalike = h.admin("PATCH", "/v1/admin/integrations/" + id,
                "{\"endpoint\": " + json(h.emulator.baseUrl() + "9") + ", \"api_key\": \"SG.other\"}");
        assertThat(lookalike.status()).as(lookalike.body()).isEqualTo(400);
        assertThat(h.admin("PATCH", "/v1/admin/integrations/" + id, "{\"endpoint\": \"eu\", \"api_key\": \"SG.eu-key\"}").status())
                .isEqualTo(200);
        h.admin("POST", "/v1/admin/integrations/" + id + "/test", null);
        assertThat(h.received).isEmpty();
    }

    @Test
    void forwardingUrlsFollowTheAllowList() throws Exception {
        h = new AttackedHub(dir, Map.of());
        AttackedHub.Answer r = h.admin("PATCH", "/v1/admin/sources/sendgrid",
                "{\"forwarding\": {\"url\": " + json(h.listenerUrl() + "/v1/batch") + ", \"format\": \"segment\", \"key\": \"wk_1\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("GRIDSYNC_ALLOWED_ENDPOINTS");
    }

    @Test
    void aForwardingTargetsErrorBodyIsNeverEchoed() throws Exception {
        String marker = "SECRET-BODY-MARKER-4d2e";
        h = new AttackedHub(dir, Map.of(), true);
        h.listenerStatus = 500;
        h.listenerBody = "{\"error\":\"" + marker + "\"}";
        AttackedHub.Answer set = h.admin("PATCH", "/v1/admin/sources/sendgrid",
                "{\"forwarding\": {\"url\": " + json(h.listenerUrl() + "/v1/batch") + ", \"format\": \"segment\", \"key\": \"wk_1234567890\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        String event = "[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":\"e1\",\"sg_message_id\":\"m1\",\"timestamp\":1700000000}]";
        assertThat(h.post("/v1/webhooks/sendgrid", event).status()).isEqualTo(200);
        AttackedHub.awaitUntil(() -> {
            try {
                return !h.admin("GET", "/v1/admin/sources/sendgrid", null).json().path("forwarding").path("last_error").asText("").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, "a failed forward");
        JsonNode view = h.admin("GET", "/v1/admin/sources/sendgrid", null).json();
        assertThat(view.path("forwarding").path("last_error").asText()).contains("HTTP 500");
        assertThat(view.toString() + h.admin("GET", "/v1/admin/sources", null).body()).doesNotContain(marker);
    }
}
