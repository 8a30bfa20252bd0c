package io.gridsync.core.sendgrid;

/**
 * The state of an asynchronous contacts job (upsert, delete, list removal):
 * {@code pending}, {@code completed}, {@code errored} (some rows failed) or {@code failed}.
 */
public record ImportStatus(String id, String status, String jobType, long requested, long created, long updated,
                           long deleted, long errored, String errorsUrl) {

    public boolean finished() {
        return !"pending".equals(status);
    }
}
