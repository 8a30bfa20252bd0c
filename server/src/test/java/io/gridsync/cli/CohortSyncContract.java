package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.EmulatorHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./gridsync audience sync} against the emulator, as a user runs it: exact plans for a
 * 50,000-row CSV with duplicates, invalid and empty emails; a resync that sends only the 1% that
 * changed (counted by the emulator); a reconcile after changes made behind gridsync's back. The
 * state database is SQLite or PostgreSQL (subclasses).
 */
abstract class CohortSyncContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String KEY = "SG.cohort-tests-0123456789";

    @TempDir
    Path dir;
    Emulator emulator;
    EmulatorHttp sg;

    /** GRIDSYNC_DATABASE_URL and friends for the state database; empty for SQLite in --data. */
    abstract Map<String, String> stateEnv();

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5).exportRowsPerFile(20_000));
        sg = new EmulatorHttp(emulator, KEY);
        sg.call("POST", "/v3/marketing/field_definitions", "{\"name\":\"tier\",\"field_type\":\"Text\"}");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    record Run(int exit, JsonNode report, String stderr) {}

    Run sync(String... args) {
        AudienceSyncCommand cmd = new AudienceSyncCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(stateEnv());
        env.put("SENDGRID_API_KEY", KEY);
        env.put("SENDGRID_API_URL", emulator.baseUrl());
        cmd.env = env;
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", dir.resolve("data").toString(), "--json"));
        int exit = new CommandLine(cmd).execute(all.toArray(String[]::new));
        try {
            String o = out.toString(StandardCharsets.UTF_8);
            return new Run(exit, o.isBlank() ? null : M.readTree(o), err.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertCounts(JsonNode r, long adds, long removes, long updates, long unchanged, long skipped) {
        assertThat(List.of(r.path("adds").asLong(), r.path("removes").asLong(), r.path("updates").asLong(),
                r.path("unchanged").asLong(), r.path("skipped").asLong()))
                .as("adds, removes, updates, unchanged, skipped of %s", r)
                .containsExactly(adds, removes, updates, unchanged, skipped);
    }

    @Test
    void fiftyThousandRowsPlanExactlyAndAResyncSendsOnlyTheOnePercentThatChanged() throws Exception {
        CohortCsv cohort = new CohortCsv();
        Path first = cohort.write(dir.resolve("vip.csv"));
        assertThat(cohort.rows).isEqualTo(50_000);

        // the dry run plans and sends nothing
        Run dry = sync("--audience", "vip", "--csv", first.toString(), "--list-name", "VIP customers", "--dry-run");
        assertThat(dry.exit()).as(dry.stderr()).isZero();
        JsonNode plan = dry.report();
        assertCounts(plan, 48_000, 0, 0, 0, 1_000);
        assertThat(plan.at("/plan/rows").asLong()).isEqualTo(50_000);
        assertThat(plan.at("/plan/members").asLong()).isEqualTo(48_000);
        assertThat(plan.at("/plan/duplicates_merged").asLong()).isEqualTo(1_000);
        assertThat(plan.at("/plan/skipped/invalid_email/count").asLong()).isEqualTo(500);
        assertThat(plan.at("/plan/skipped/missing_email/count").asLong()).isEqualTo(500);
        assertThat(plan.at("/plan/skipped/invalid_email/examples/0/row").asLong()).isEqualTo(13); // header, 11 members, 1 bad row
        assertThat(plan.at("/plan/skipped/invalid_email/examples/0/value").asText()).isEqualTo("broken10@");
        assertThat(plan.at("/plan/mapping/email").asText()).isEqualTo("Email");
        assertThat(plan.at("/plan/mapping/First Name").asText()).isEqualTo("first_name");
        assertThat(plan.at("/plan/mapping/tier").asText()).isEqualTo("custom field tier");
        assertThat(plan.at("/list/will_create").asBoolean()).isTrue();
        assertThat(plan.has("result")).isFalse();
        assertThat(sg.stats().has("PUT /v3/marketing/contacts")).isFalse();
        assertThat(sg.stats().has("POST /v3/marketing/lists")).isFalse();

        // the real run applies exactly that plan: 48,000 contacts in two upserts, and exactly them in the list
        Run applied = sync("--audience", "vip", "--csv", first.toString(), "--list-name", "VIP customers");
        assertThat(applied.exit()).as(applied.stderr()).isZero();
        assertCounts(applied.report(), 48_000, 0, 0, 0, 1_000);
        assertThat(applied.report().at("/result/outcome").asText()).isEqualTo("ok");
        assertThat(applied.report().at("/result/added").asLong()).isEqualTo(48_000);
        assertThat(applied.report().at("/result/failed").asLong()).isZero();
        assertThat(sg.requests("PUT /v3/marketing/contacts")).isEqualTo(2);
        String listId = sg.listId("VIP customers");
        assertThat(applied.report().at("/list/id").asText()).isEqualTo(listId);
        assertThat(sg.listEmails(listId)).isEqualTo(cohort.expected());
        assertThat(sg.contactCount()).isEqualTo(48_000);
        // duplicates merged in file order: the later last name wins, the later empty first name does not clear
        JsonNode merged = sg.contact("member7@example.com");
        assertThat(merged.path("first_name").asText()).isEqualTo("First7");
        assertThat(merged.path("last_name").asText()).isEqualTo("Merged7");
        assertThat(sg.contact("member3@example.com").path("custom_fields").path("tier").asText()).isEqualTo("gold");
        assertThat(sg.contact("member10@example.com").path("list_ids").get(0).asText()).isEqualTo(listId);

        // 1% changes: 160 new last names, 160 left the cohort, 160 joined
        cohort.changedFrom = 1_000;
        cohort.changedTo = 1_160;
        cohort.droppedFrom = 2_000;
        cohort.droppedTo = 2_160;
        cohort.extra = 160;
        Path second = cohort.write(dir.resolve("vip-2.csv"));
        sg.resetStats();
        Run resync = sync("--audience", "vip", "--csv", second.toString());
        assertThat(resync.exit()).as(resync.stderr()).isZero();
        assertCounts(resync.report(), 160, 160, 160, 47_680, 1_000);
        JsonNode result = resync.report().path("result");
        assertThat(result.path("added").asLong()).isEqualTo(160);
        assertThat(result.path("updated").asLong()).isEqualTo(160);
        assertThat(result.path("removed").asLong()).isEqualTo(160);
        // only the differences went out: one upsert with the list, one without, two searches, one removal
        assertThat(sg.requests("PUT /v3/marketing/contacts")).isEqualTo(2);
        assertThat(sg.requests("POST /v3/marketing/contacts/search/emails")).isEqualTo(2);
        assertThat(sg.requests("DELETE /v3/marketing/lists/{id}/contacts")).isEqualTo(1);
        assertThat(sg.requests("POST /v3/marketing/lists")).isZero();
        assertThat(result.path("requests").path("PUT /v3/marketing/contacts").asLong()).isEqualTo(2);
        assertThat(sg.listEmails(listId)).isEqualTo(cohort.expected());
        assertThat(sg.contact("member1001@example.com").path("last_name").asText()).isEqualTo("Changed1001");
        JsonNode left = sg.contact("member2001@example.com");
        assertThat(left.path("email").asText()).isEqualTo("member2001@example.com"); // the contact is kept
        assertThat(left.path("list_ids")).isEmpty();

        // the same file again: nothing to send
        sg.resetStats();
        Run again = sync("--audience", "vip", "--csv", second.toString());
        assertCounts(again.report(), 0, 0, 0, 48_000, 1_000);
        assertThat(sg.requests("PUT /v3/marketing/contacts")).isZero();
        assertThat(sg.requests("DELETE /v3/marketing/lists/{id}/contacts")).isZero();
    }

    @Test
    void reconcileRepairsMembersRemovedAndAddedBehindGridsyncsBack() throws Exception {
        CohortCsv cohort = new CohortCsv();
        cohort.members = 1_000;
        Path csv = cohort.write(dir.resolve("churn.csv")); // 1,000 members, 21 rows without a valid email
        assertThat(sync("--audience", "churn_risk", "--csv", csv.toString()).exit()).isZero();
        String listId = sg.listId("churn_risk");
        assertThat(sg.listCount(listId)).isEqualTo(1_000);

        // behind gridsync's back: 20 members taken out of the list, 15 outsiders put in
        List<String> ids = new ArrayList<>();
        StringBuilder emails = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            emails.append(i == 0 ? "" : ",").append("\"member").append(i).append("@example.com\"");
        }
        sg.call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\":[" + emails + "]}").path("result")
                .forEach(r -> ids.add(r.path("contact").path("id").asText()));
        assertThat(ids).hasSize(20);
        sg.awaitJob(sg.call("DELETE", "/v3/marketing/lists/" + listId + "/contacts?contact_ids=" + String.join(",", ids), null)
                .path("job_id").asText());
        StringBuilder outsiders = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            outsiders.append(i == 0 ? "" : ",").append("{\"email\":\"outsider").append(i).append("@example.com\"}");
        }
        sg.awaitJob(sg.call("PUT", "/v3/marketing/contacts", "{\"list_ids\":[\"" + listId + "\"],\"contacts\":[" + outsiders + "]}")
                .path("job_id").asText());
        assertThat(sg.listCount(listId)).isEqualTo(995);

        // a plain run trusts its own record and sees no drift
        assertCounts(sync("--audience", "churn_risk", "--csv", csv.toString()).report(), 0, 0, 0, 1_000, 21);

        sg.resetStats();
        Run r = sync("--audience", "churn_risk", "--csv", csv.toString(), "--reconcile");
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode drift = r.report().at("/plan/reconcile");
        assertThat(drift.path("list_members").asLong()).isEqualTo(995);
        assertThat(drift.at("/missing_from_list/count").asLong()).isEqualTo(20);
        assertThat(drift.at("/unexpected_in_list/count").asLong()).isEqualTo(15);
        assertThat(drift.at("/unexpected_in_list/examples").toString()).contains("outsider");
        assertCounts(r.report(), 20, 15, 0, 980, 21);
        assertThat(r.report().at("/result/added").asLong()).isEqualTo(20);
        assertThat(r.report().at("/result/removed").asLong()).isEqualTo(15);
        assertThat(sg.requests("POST /v3/marketing/contacts/exports")).isEqualTo(1);
        assertThat(sg.requests("POST /v3/marketing/contacts/search/emails")).isZero(); // the export gave the ids
        assertThat(sg.listEmails(listId)).isEqualTo(cohort.expected());
        assertThat(sg.contact("outsider3@example.com").path("email").asText()).isEqualTo("outsider3@example.com");

        // repaired: a second reconcile finds nothing to do
        Run calm = sync("--audience", "churn_risk", "--csv", csv.toString(), "--reconcile");
        assertCounts(calm.report(), 0, 0, 0, 1_000, 21);
        assertThat(calm.report().at("/plan/reconcile/list_members").asLong()).isEqualTo(1_000);
    }

    @Test
    void aBadSourceFailsTheRunWithAReasonAndBadRowsNeverDo() throws Exception {
        Path noEmail = Files.writeString(dir.resolve("no-email.csv"), "name,city\nAda,London\n");
        Run r = sync("--audience", "a", "--csv", noEmail.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.report().path("error").asText()).contains("no email column").contains("--map COLUMN=email");
        assertThat(r.report().at("/result/outcome").asText()).isEqualTo("failed");

        // a mapped email column, an ignored column, an unknown custom field, a bad quote at the end
        Path odd = Files.writeString(dir.resolve("odd.csv"),
                "Mail,Vorname,secret,plan\nada@x.io,Ada,s1,pro\nBOB@x.io,Bob,s2,\n\"grace@x.io,Grace\n");
        Run ok = sync("--audience", "a", "--csv", odd.toString(), "--map", "Mail=email", "--map", "Vorname=first_name",
                "--map", "secret=-");
        assertThat(ok.exit()).as(ok.stderr()).isZero();
        assertCounts(ok.report(), 2, 0, 0, 0, 1);
        assertThat(ok.report().at("/plan/skipped/malformed_row/count").asLong()).isEqualTo(1);
        assertThat(ok.report().at("/plan/unknown_fields/0").asText()).isEqualTo("plan -> plan");
        assertThat(sg.contact("bob@x.io").path("first_name").asText()).isEqualTo("Bob");

        // what the command line synced is visible through the audience API of a hub on the same data
        io.gridsync.server.Hub hub = io.gridsync.server.Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(stateEnv()));
        try {
            java.net.http.HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.baseUrl() + "/v1/audiences?integration=cli"))
                            .header("Authorization", "Bearer " + hub.adminToken()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(M.readTree(listed.body()).path("audiences").findValuesAsText("key")).containsExactly("a");
        } finally {
            hub.close();
        }

        Run usage = sync("--audience", "a");
        assertThat(usage.exit()).isEqualTo(1);
        assertThat(usage.stderr()).contains("--csv FILE or as --jdbc-url URL --query SQL");
        Run missing = sync("--audience", "a", "--csv", dir.resolve("nope.csv").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.BAD_INPUT); // a missing input file is a mistake on the command line (docs/cli.md)
        assertThat(missing.stderr()).contains("no such file").contains("nope.csv");
    }

    @Test
    void withIntegrationTheAudienceIsTheIntegrationsAndItsAccountIsUsed() throws Exception {
        Path data = dir.resolve("data");
        HubConfig config = HubConfig.defaults(data, 0).withEnvironment(stateEnv());
        String id;
        try (Database db = config.databaseUrl() == null ? Database.sqlite(data)
                : Database.open(config.databaseUrl(), config.databaseUser(), null)) {
            id = new IntegrationStore(db, SecretBox.open(config))
                    .create(new NewIntegration("crm", null, null, emulator.baseUrl(),
                            new ApiKey(KEY), null, null, false, null, true, null)).id();
        }
        Path csv = Files.writeString(dir.resolve("few.csv"), "email\nann@x.io\nbea@x.io\n");

        // no SENDGRID_API_KEY: the integration's endpoint and key
        AudienceSyncCommand cmd = new AudienceSyncCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cmd.env = stateEnv();
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute("--audience", "few", "--csv", csv.toString(), "--integration", id,
                "--data", data.toString(), "--json");
        assertThat(exit).isZero();
        JsonNode r = M.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(r.path("integration").asText()).isEqualTo(id);
        assertThat(sg.listEmails(sg.listId("few"))).containsExactlyInAnyOrder("ann@x.io", "bea@x.io");

        Run unknown = sync("--audience", "few", "--csv", csv.toString(), "--integration", "int_nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("no integration int_nope");
    }
}
