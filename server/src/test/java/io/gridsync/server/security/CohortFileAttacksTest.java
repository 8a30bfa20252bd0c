package io.gridsync.server.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.gridsync.server.security.AttackedHub.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An admin-token holder naming files on the hub's machine as cohort CSV sources, over the audience API. */
class CohortFileAttacksTest {

    @TempDir
    Path dir;
    AttackedHub h;

    @BeforeEach
    void start() throws Exception {
        h = new AttackedHub(dir, Map.of());
        h.installSendGrid();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void theMasterKeyIsNotACohort() throws Exception {
        String masterKey = Files.readString(h.data.resolve("master.key")).trim();
        AttackedHub.Answer r = h.cohortSync("leak", "{\"csv\": " + json(h.data.resolve("master.key").toString()) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("import directory").doesNotContain(masterKey);
        assertThat(h.everythingAbout("leak")).doesNotContain(masterKey);
    }

    @Test
    void aFileOutsideTheImportDirectoryIsRefusedWithoutSayingWhetherItExists() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.csv"), "SECRET-HEADER-7f3a,x\nSECRET-VALUE-7f3a,y\n");
        AttackedHub.Answer existing = h.cohortSync("leak", "{\"csv\": " + json(outside.toString()) + "}");
        AttackedHub.Answer missing = h.cohortSync("leak", "{\"csv\": " + json(dir.resolve("no-such.csv").toString()) + "}");
        AttackedHub.Answer shadow = h.cohortSync("leak", "{\"csv\": \"/etc/shadow\"}");
        assertThat(existing.status()).as(existing.body()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(shadow.status()).isEqualTo(400);
        assertThat(existing.body().replace(outside.toString(), "P")).isEqualTo(missing.body().replace(dir.resolve("no-such.csv").toString(), "P"));
        assertThat(h.everythingAbout("leak")).doesNotContain("SECRET-");
    }

    @Test
    void aDotDotPathCannotLeaveTheImportDirectory() throws Exception {
        Path imports = h.data.resolve("imports");
        Files.createDirectories(imports);
        Files.writeString(dir.resolve("up.csv"), "email\nSECRET-VALUE-dd@example.com\n");
        for (String p : new String[] {imports + "/../../up.csv", "../../up.csv", imports + "/x/../../master.key"}) {
            AttackedHub.Answer r = h.cohortSync("leak", "{\"csv\": " + json(p) + "}");
            assertThat(r.status()).as(p + ": " + r.body()).isEqualTo(400);
        }
        assertThat(h.everythingAbout("leak")).doesNotContain("SECRET-");
    }

    @Test
    void aSymlinkInTheImportDirectoryCannotPointOut() throws Exception {
        Path imports = Files.createDirectories(h.data.resolve("imports"));
        Path target = Files.writeString(dir.resolve("target.csv"), "SECRET-HEADER-5e1b\nSECRET-VALUE-5e1b\n");
        Path link = Files.createSymbolicLink(imports.resolve("innocent.csv"), target);
        Files.createSymbolicLink(imports.resolve("keys"), h.data);
        for (String p : new String[] {link.toString(), imports.resolve("keys/master.key").toString()}) {
            AttackedHub.Answer r = h.cohortSync("leak", "{\"csv\": " + json(p) + "}");
            assertThat(r.status()).as(p + ": " + r.body()).isEqualTo(400);
        }
        assertThat(h.everythingAbout("leak")).doesNotContain("SECRET-");
    }

    @Test
    void aRunErrorNeverQuotesTheFilesHeader() throws Exception {
        Path imports = Files.createDirectories(h.data.resolve("imports"));
        Path f = Files.writeString(imports.resolve("no-email.csv"), "name,SECRET-HEADER-91c2\nAda,SECRET-VALUE-91c2\n");
        AttackedHub.Answer r = h.cohortSync("headers", "{\"csv\": " + json(f.toString()) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        h.awaitRun("headers");
        String all = h.everythingAbout("headers");
        assertThat(all).contains("no email column").contains("2 columns").doesNotContain("SECRET-");
    }

    @Test
    void aFileInTheImportDirectoryStillSyncs() throws Exception {
        Path imports = Files.createDirectories(h.data.resolve("imports"));
        Files.writeString(imports.resolve("vip.csv"), "email,first_name\nada@example.com,Ada\n");
        AttackedHub.Answer r = h.cohortSync("vip", "{\"csv\": \"vip.csv\"}"); // relative: inside the import directory
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        h.awaitRun("vip");
        assertThat(h.admin("GET", "/v1/audiences/vip", null).json().at("/last_sync/outcome").asText()).isEqualTo("ok");
    }
}
