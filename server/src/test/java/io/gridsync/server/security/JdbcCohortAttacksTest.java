package io.gridsync.server.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static io.gridsync.server.security.AttackedHub.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An admin-token holder using a JDBC cohort source to read the hub's own files, load code or reach other hosts. */
class JdbcCohortAttacksTest {

    @TempDir
    Path dir;
    AttackedHub h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private AttackedHub.Answer jdbc(String url, String query) throws Exception {
        return h.cohortSync("leak", "{\"jdbc_url\": " + json(url) + ", \"query\": " + json(query) + "}");
    }

    private String sealedKey() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + h.data.resolve("gridsync.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT api_key_sealed FROM integrations")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theHubsDatabaseWithExtensionLoadingIsNotACohort() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
        String sealed = sealedKey();
        String db = h.data.resolve("gridsync.db").toString();
        AttackedHub.Answer r = jdbc("jdbc:sqlite:" + db + "?enable_load_extension=true",
                "SELECT load_extension('/tmp/x.so'), api_key_sealed AS email FROM integrations");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("enable_load_extension");
        AttackedHub.Answer plain = jdbc("jdbc:sqlite:" + db, "SELECT api_key_sealed AS email FROM integrations");
        assertThat(plain.status()).as(plain.body()).isEqualTo(400);
        assertThat(h.everythingAbout("leak")).doesNotContain(sealed);
    }

    @Test
    void resourceUrlsDoNotMakeTheHubFetchAnything() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
        for (String url : new String[] {"jdbc:sqlite::resource:" + h.listenerUrl() + "/x.db", "jdbc:sqlite:file::resource:" + h.listenerUrl()}) {
            AttackedHub.Answer r = jdbc(url, "SELECT email FROM t");
            assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(400);
        }
        // both were refused before any sync existed, so nothing may have reached the listener
        assertThat(h.received).isEmpty();
    }

    @Test
    void classAndFileLoadingPostgresPropertiesAreRefusedByName() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
        String[][] cases = {
                {"jdbc:postgresql://127.0.0.1:1/db?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext"
                        + "&socketFactoryArg=http://127.0.0.1/x.xml", "socketFactory"},
                {"jdbc:postgresql://127.0.0.1:1/db?sslfactory=java.lang.String", "sslfactory"},
                {"jdbc:postgresql://127.0.0.1:1/db?loggerLevel=TRACE&loggerFile=/tmp/gridsync-pwn.jsp", "logger"},
                {"jdbc:postgresql://127.0.0.1:1/db?authenticationPluginClassName=x.Y", "authenticationPluginClassName"},
                {"jdbc:postgresql://127.0.0.1:1/db?%73ocketFactory=x.Y", "socketFactory"}, // URL-encoded name
                {"jdbc:postgresql://127.0.0.1:1/db?SOCKETFACTORY=x.Y", "SOCKETFACTORY"},
        };
        for (String[] c : cases) {
            AttackedHub.Answer r = jdbc(c[0], "SELECT email FROM t");
            assertThat(r.status()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(c[0]).containsIgnoringCase(c[1]);
        }
        AttackedHub.Answer duck = jdbc("jdbc:duckdb:", "SELECT * FROM read_csv('/etc/passwd')");
        assertThat(duck.status()).as(duck.body()).isEqualTo(400);
        assertThat(duck.body()).contains("GRIDSYNC_COHORT_JDBC_DRIVERS");
    }

    @Test
    void aHostAllowListKeepsCohortQueriesOffOtherHosts() throws Exception {
        h = new AttackedHub(dir, Map.of("GRIDSYNC_COHORT_JDBC_HOSTS", "crm.internal"));
        h.installSendGrid();
        AttackedHub.Answer scan = jdbc("jdbc:postgresql://127.0.0.1:22/x", "SELECT email FROM t");
        assertThat(scan.status()).as(scan.body()).isEqualTo(400);
        assertThat(scan.body()).contains("GRIDSYNC_COHORT_JDBC_HOSTS");
        AttackedHub.Answer multi = jdbc("jdbc:postgresql://crm.internal:5432,127.0.0.1:22/x", "SELECT email FROM t");
        assertThat(multi.status()).as(multi.body()).isEqualTo(400);
        assertThat(jdbc("jdbc:postgresql://crm.internal:5432/x", "SELECT email FROM t").status()).isEqualTo(201);
    }

    @Test
    void aSqliteCohortInTheImportDirectoryIsReadOnlyAndCannotAttachTheHubsDatabase() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
        Path crm = java.nio.file.Files.createDirectories(h.data.resolve("imports")).resolve("crm.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crm)) {
            c.createStatement().execute("CREATE TABLE people (email TEXT)");
            c.createStatement().execute("INSERT INTO people VALUES ('ada@example.com')");
        }
        AttackedHub.Answer attach = jdbc("jdbc:sqlite:crm.db", "ATTACH DATABASE " + json(h.data.resolve("gridsync.db").toString()) + " AS hub");
        assertThat(attach.status()).as(attach.body()).isEqualTo(400);
        assertThat(attach.body()).contains("SELECT");
        AttackedHub.Answer write = jdbc("jdbc:sqlite:crm.db", "DELETE FROM people");
        assertThat(write.status()).as(write.body()).isEqualTo(400);
        AttackedHub.Answer read = jdbc("jdbc:sqlite:crm.db", "SELECT email FROM people");
        assertThat(read.status()).as(read.body()).isEqualTo(201);
        h.awaitRun("leak");
        assertThat(h.admin("GET", "/v1/audiences/leak", null).json().at("/last_sync/outcome").asText()).isEqualTo("ok");
    }

    @Test
    void anImportDirectoryHoldingTheDataDirectoryIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AttackedHub(dir, Map.of("GRIDSYNC_IMPORT_DIR", dir.toString())))
                .hasMessageContaining("GRIDSYNC_IMPORT_DIR");
    }
}
