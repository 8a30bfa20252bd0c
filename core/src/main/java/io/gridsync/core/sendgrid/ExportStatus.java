package io.gridsync.core.sendgrid;

import java.util.List;

/**
 * A contact export ({@code GET /v3/marketing/contacts/exports/{id}}): {@code pending}, then
 * {@code ready} with the download {@code urls} (gzip files), or {@code failure} with a message.
 */
public record ExportStatus(String id, String status, List<String> urls, long contactCount, String message) {

    public boolean ready() {
        return "ready".equals(status);
    }

    public boolean finished() {
        return !"pending".equals(status);
    }
}
