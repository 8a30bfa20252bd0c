package io.gridsync.emulator.contacts;

/**
 * One errored row of a job: its index in the request (the position in {@code contacts} for an
 * upsert, in {@code ids} for a deletion), what identifies it, and why it was not applied.
 */
record JobError(int index, String contactId, String email, String phoneNumberId, String externalId, String anonymousId,
                String message) {

    static JobError forRow(ContactUpsert row, String message) {
        return new JobError(row.index, null, row.get(ContactField.EMAIL), row.get(ContactField.PHONE_NUMBER_ID),
                row.get(ContactField.EXTERNAL_ID), row.get(ContactField.ANONYMOUS_ID), message);
    }

    static JobError forId(int index, String contactId, String message) {
        return new JobError(index, contactId, null, null, null, null, message);
    }
}
