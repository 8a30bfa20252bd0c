package io.gridsync.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Another user on the machine reading the hub's files; anyone glancing at listings and screens. */
class LocalExposureTest {

    @TempDir
    Path dir;
    AttackedHub h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDataDirectoryAndEveryFileInItAreTheOwnersAlone() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
        assertThat(h.post("/v1/webhooks/sendgrid", "[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":\"e1\","
                + "\"sg_message_id\":\"m1\",\"timestamp\":1700000000}]").status()).isEqualTo(200);
        assertThat(mode(h.data)).isEqualTo("rwx------");
        List<Path> all;
        try (Stream<Path> s = Files.walk(h.data)) {
            all = s.filter(p -> !p.equals(h.data)).toList();
        }
        assertThat(all).extracting(p -> h.data.relativize(p).toString())
                .contains("gridsync.db", "gridsync.db-wal", "master.key", "warehouse", "imports");
        for (Path p : all) {
            assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
    }

    @Test
    void writeKeysAreMaskedInListingsAndWholeOnlyWhenCreated() throws Exception {
        h = new AttackedHub(dir, Map.of());
        String first = h.hub.writeKey();
        AttackedHub.Answer created = h.admin("POST", "/v1/admin/write-keys", "{\"name\":\"web\"}");
        assertThat(created.status()).isEqualTo(201);
        String second = created.json().path("write_key").asText();
        assertThat(second).startsWith("gs_wk_").hasSizeGreaterThan(20);

        AttackedHub.Answer list = h.admin("GET", "/v1/admin/write-keys", null);
        assertThat(list.body()).doesNotContain(first).doesNotContain(second);
        JsonNode web = null;
        for (JsonNode k : list.json().path("write_keys")) {
            if (k.path("name").asText().equals("web")) {
                web = k;
            }
        }
        assertThat(web).isNotNull();
        assertThat(web.path("write_key").asText()).endsWith(second.substring(second.length() - 4)).contains("*");
        // revoking by the id the listing shows: the key is refused at once
        assertThat(h.admin("DELETE", "/v1/admin/write-keys/" + web.path("id").asText(), null).status()).isEqualTo(200);
        assertThat(io.gridsync.server.testing.HubCalls.collect(h.hub.baseUrl(), second, "/v1/identify",
                "{\"userId\":\"u1\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void theAdminTokenRotatesWithoutDowntime() throws Exception {
        h = new AttackedHub(dir, Map.of());
        String old = h.hub.adminToken();
        AttackedHub.Answer r = h.admin("POST", "/v1/admin/admin-token/rotate", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String fresh = r.json().path("admin_token").asText();
        assertThat(fresh).startsWith("gs_admin_").isNotEqualTo(old);
        assertThat(h.call("GET", "/v1/admin/integrations", null, old).status()).isEqualTo(200); // still in its grace period
        assertThat(h.call("GET", "/v1/admin/integrations", null, fresh).status()).isEqualTo(200);
        assertThat(h.call("GET", "/v1/audiences", null, fresh).status()).isNotEqualTo(401); // the audience API shares the check
        // ending the grace period at once: the old token is refused everywhere
        assertThat(h.call("POST", "/v1/admin/admin-token/retire-previous", null, fresh).status()).isEqualTo(200);
        assertThat(h.call("GET", "/v1/admin/integrations", null, old).status()).isEqualTo(401);
        assertThat(h.call("GET", "/v1/audiences", null, old).status()).isEqualTo(401);
        assertThat(h.admin("GET", "/v1/admin/write-keys", null).body()).doesNotContain(fresh);
    }

    @Test
    void anAdminTokenFromTheEnvironmentIsRotatedThere() throws Exception {
        h = new AttackedHub(dir, Map.of("GRIDSYNC_ADMIN_TOKEN", "from-the-environment-0123456789"));
        AttackedHub.Answer r = h.admin("POST", "/v1/admin/admin-token/rotate", null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body()).contains("GRIDSYNC_ADMIN_TOKEN");
    }

    @Test
    void aLooserDataDirectoryFromBeforeIsReportedWithTheChmodAndLeftAsItIs() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PrivateFiles.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            h = new AttackedHub(dir, Map.of());
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(mode(data)).isEqualTo("rwxr-xr-x"); // the owner's choice, reported
        assertThat(seen.list).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                && e.getFormattedMessage().contains("chmod 700 " + data.toAbsolutePath()));
        assertThat(mode(data.resolve("gridsync.db"))).isEqualTo("rw-------"); // what the hub created is private
    }

    @Test
    void aRotationOnAnotherNodeReachesThisOneThroughTheDatabase() throws Exception {
        h = new AttackedHub(dir, Map.of());
        String old = h.hub.adminToken();
        // a second hub over the same state (here: the same SQLite file, as a cluster shares PostgreSQL) rotates the token
        try (io.gridsync.server.store.Database db = io.gridsync.server.store.Database.sqlite(h.data)) {
            String rotated = rotateIn(db);
            assertThat(h.call("GET", "/v1/admin/integrations", null, rotated).status()).isEqualTo(200);
            assertThat(h.call("GET", "/v1/admin/integrations", null, old).status()).isEqualTo(200); // in its grace period here too
        }
    }

    /** What POST /v1/admin/admin-token/rotate does on another node: a new sealed token in the settings table. */
    private String rotateIn(io.gridsync.server.store.Database db) throws Exception {
        io.gridsync.server.secrets.SecretBox box = io.gridsync.server.secrets.SecretBox.open(io.gridsync.server.HubConfig.defaults(h.data, 0));
        return io.gridsync.server.admin.AdminToken.rotate(db, box);
    }
}
