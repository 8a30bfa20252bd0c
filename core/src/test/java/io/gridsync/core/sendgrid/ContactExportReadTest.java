package io.gridsync.core.sendgrid;

import io.gridsync.core.testing.EmulatorFixture;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a list's real membership through the export API, over several gzip files, CSV and JSON. */
class ContactExportReadTest {

    private final EmulatorFixture sg = new EmulatorFixture(new EmulatorConfig().exportRowsPerFile(7));

    @AfterEach
    void stop() {
        sg.close();
    }

    @Test
    void exportListMembersStreamsEveryFileOfTheList() {
        String list = sg.api.createList("members").id();
        String other = sg.api.createList("others").id();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            in.append(i == 0 ? "" : ",").append("{\"email\":\"M").append(i).append("@x.io\",\"first_name\":\"a, \\\"b\\\"\"}");
        }
        await(sg.api.upsertContacts(("{\"list_ids\":[\"" + list + "\"],\"contacts\":[" + in + "]}").getBytes()));
        await(sg.api.upsertContacts(("{\"list_ids\":[\"" + other + "\"],\"contacts\":[{\"email\":\"not@x.io\"}]}").getBytes()));

        Map<String, String> seen = new HashMap<>();
        long n = sg.api.exportListMembers(list, Duration.ofSeconds(30), c -> seen.put(c.email(), c.id()));

        assertThat(n).isEqualTo(20);
        assertThat(seen).hasSize(20).containsKey("m0@x.io").doesNotContainKey("not@x.io");
        assertThat(seen.values()).allMatch(id -> id != null && !id.isBlank());
        assertThat(sg.requests("POST", "/v3/marketing/contacts/exports")).isEqualTo(1);

        // the CSV form of the same export reads the same contacts
        ExportStatus csv = sg.api.awaitExport(sg.api.startExport(List.of(list), "csv"), Duration.ofSeconds(30));
        assertThat(csv.urls()).hasSize(3);
        List<ExportedContact> rows = new ArrayList<>();
        sg.api.readExport(csv, rows::add);
        assertThat(rows).hasSize(20);
        rows.forEach(r -> assertThat(seen.get(r.email())).isEqualTo(r.id()));
    }

    private void await(String job) {
        assertThat(sg.api.awaitJob(job, Duration.ofSeconds(30)).status()).isEqualTo("completed");
    }
}
