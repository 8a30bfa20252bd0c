package io.gridsync.server.source;

import io.gridsync.core.sendgrid.ExportStatus;

import java.util.List;

/**
 * The contact export of one run: started by the first collection that reads contacts (recipients,
 * list and segment members) and read again by the others, so a run asks SendGrid for one export
 * of all contacts however many collections use it. An export that failed fails them all alike.
 */
final class RunContactExport {

    private ExportStatus ready;
    private MirrorException failed;

    /** The ready export, started and awaited on first use. */
    synchronized ExportStatus ready(SyncContext ctx) {
        if (ready != null) {
            return ready;
        }
        if (failed != null) {
            throw failed;
        }
        String exportId = ctx.api().startExport(List.of(), "json");
        ExportStatus export = ctx.api().awaitExport(exportId, ctx.exportTimeout());
        if (!export.ready()) {
            failed = new MirrorException("the contact export " + exportId + " is " + export.status()
                    + (export.message() != null ? ": " + export.message()
                    : export.finished() ? "" : " after " + ctx.exportTimeout().toMinutes() + " minutes")
                    + "; the next run starts a new one");
            throw failed;
        }
        ready = export;
        return ready;
    }
}
