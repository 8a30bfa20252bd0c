package io.gridsync.server.webhook;

import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook post whose warehouse commit fails for lack of space (PostgreSQL's disk_full raised
 * while the post's delivered events go in, after its processed events did) is answered 503 with
 * Retry-After and leaves nothing behind; SendGrid's retry once space is back stores it exactly once.
 */
class CaptureStorageFaultTest {

    private static PostgresDatabases pg;

    @TempDir
    Path dir;
    private Hub hub;
    private String warehouseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aPostThatCannotBeStoredIsRefusedWholeAndStoredOnceOnRetry() throws Exception {
        String url = pg.jdbcUrl(pg.create());
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(Map.of(
                "GRIDSYNC_WAREHOUSE_URL", url, "GRIDSYNC_WAREHOUSE_USER", "postgres")));
        warehouseUrl = url; // the test switches the fault and counts rows on connections of its own
        sql("CREATE TABLE test_disk (full_now BOOLEAN NOT NULL)");
        sql("INSERT INTO test_disk VALUES (TRUE)");
        sql("""
                CREATE FUNCTION test_disk_full() RETURNS trigger AS $$
                BEGIN
                  IF (SELECT full_now FROM public.test_disk) THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        sql("CREATE TRIGGER test_disk_full BEFORE INSERT ON sendgrid.delivered FOR EACH ROW EXECUTE FUNCTION test_disk_full()");

        String events = "[{\"email\":\"a@x.io\",\"timestamp\":1700000000,\"event\":\"processed\",\"sg_event_id\":\"p1\"},"
                + "{\"email\":\"a@x.io\",\"timestamp\":1700000001,\"event\":\"delivered\",\"sg_event_id\":\"d1\"},"
                + "{\"email\":\"b@x.io\",\"timestamp\":1700000002,\"event\":\"delivered\",\"sg_event_id\":\"d2\"}]";
        HttpResponse<String> full = post(events);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        assertThat(full.body()).doesNotContain("No space left"); // the database's words stay in the log
        assertThat(count("sendgrid.processed")).isZero(); // nothing half-stored
        assertThat(count("sendgrid.delivered")).isZero();

        sql("UPDATE test_disk SET full_now = FALSE");
        HttpResponse<String> retried = post(events);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(post(events).statusCode()).isEqualTo(200); // SendGrid may send it once more
        assertThat(count("sendgrid.processed")).isEqualTo(1);
        assertThat(count("sendgrid.delivered")).isEqualTo(2);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void sql(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(warehouseUrl, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(warehouseUrl, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
