package io.gridsync.emulator.contacts;

import java.util.ArrayList;
import java.util.List;

/**
 * The file behind a job's {@code errors_url}: a CSV with a header row and one row per errored
 * row of the job, giving its index in the request, what identified it, and the reason.
 */
final class ErrorsFile {

    static final List<String> HEADER = List.of("index", "contact_id", "email", "phone_number_id", "external_id",
            "anonymous_id", "message");

    private ErrorsFile() {}

    static String render(List<JobError> errors) {
        StringBuilder out = new StringBuilder(Csv.line(HEADER));
        for (JobError e : errors) {
            List<String> cells = new ArrayList<>(HEADER.size());
            cells.add(Integer.toString(e.index()));
            cells.add(e.contactId());
            cells.add(e.email());
            cells.add(e.phoneNumberId());
            cells.add(e.externalId());
            cells.add(e.anonymousId());
            cells.add(e.message());
            out.append(Csv.line(cells));
        }
        return out.toString();
    }
}
