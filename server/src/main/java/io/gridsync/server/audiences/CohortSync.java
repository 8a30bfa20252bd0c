package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.ContactUpserter;
import io.gridsync.core.contact.ContactValidation;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.gridsync.server.security.CohortAccess;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One cohort sync of an audience: reads the cohort (CSV or SQL) once into a spool file and a compact
 * member table, compares it with the audience's stored membership (and, when reconciling, with the
 * list SendGrid really holds, read through the export API), and answers a plan: adds, removes,
 * updates, unchanged, skipped with reasons. A dry run stops there. Otherwise only the differences
 * are sent: adds as upserts with the list id, updates as upserts without it, both 30,000 contacts per
 * request through core's planner; removals looked up and taken out of the list in URL-sized batches.
 * Every outcome is written back to the stored membership and the run is recorded. One bad row or one
 * refused contact never fails the sync: it is skipped or reported, with the reason.
 */
public final class CohortSync {

    private static final Logger log = LoggerFactory.getLogger(CohortSync.class);
    /** Contacts per upsert call: SendGrid's maximum, which the planner may still split at 6 MB. */
    static final int CHUNK = SendGridApi.MAX_CONTACTS_PER_UPSERT;
    /** Removals handled per round (searches, deletes, state writes). */
    static final int REMOVE_WINDOW = 10_000;
    static final long LEASE_MILLIS = Duration.ofMinutes(30).toMillis();

    /**
     * @param scope   the integration id whose audience this is ({@code cli} for the command line's own)
     * @param trigger {@code cli}, {@code schedule}, ...; recorded with the run
     * @param syncId  the scheduled sync that started it, or null
     */
    public record Request(String scope, String audienceKey, CohortSourceSpec source, String listName, Map<String, String> map,
                          boolean dryRun, boolean reconcile, String trigger, String syncId) {}

    private enum Decision { ADD, UPDATE, UNCHANGED, REMOVE, FORGET, NONE }

    private final CohortAccess access;
    private final AudienceStore store;
    private final AudienceRuns runs;
    private final Path spoolDir;
    private final Clock clock;
    private final Duration exportTimeout;
    private final ContactUpserter upserter = new ContactUpserter();

    public CohortSync(AudienceStore store, AudienceRuns runs, Path spoolDir, Clock clock, Duration exportTimeout) {
        this(store, runs, spoolDir, clock, exportTimeout, CohortAccess.UNCONFINED);
    }

    /** @param access what a source may open: the hub confines it to the import directory and the JDBC rules */
    public CohortSync(AudienceStore store, AudienceRuns runs, Path spoolDir, Clock clock, Duration exportTimeout, CohortAccess access) {
        this.access = access;
        this.store = store;
        this.runs = runs;
        this.spoolDir = spoolDir;
        this.clock = clock;
        this.exportTimeout = exportTimeout;
    }

    /**
     * Plans and (unless a dry run) applies. The answer is the report: counts at the top
     * ({@code adds}, {@code removes}, {@code updates}, {@code unchanged}, {@code skipped}), the plan's
     * details under {@code plan}, what was done under {@code result} (absent in a dry run);
     * {@code result.outcome} is {@code ok}, {@code partial} (some members failed) or {@code failed}
     * (with {@code error}: the sync could not run).
     */
    public ObjectNode run(Request req, AudienceAccount account) {
        long started = clock.millis();
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("audience", req.audienceKey());
        report.put("integration", req.scope());
        report.put("source", req.source().describe());
        report.put("dry_run", req.dryRun());
        report.put("reconcile", req.reconcile());
        String owner = "cohort-" + UUID.randomUUID();
        boolean locked = false;
        Work w = new Work(req, account, report);
        try {
            if (!req.dryRun()) {
                String listName = req.listName() != null ? req.listName()
                        : store.get(req.scope(), req.audienceKey()).map(Audience::listName).orElse(req.audienceKey());
                store.ensure(req.scope(), req.audienceKey(), listName, "cohort", started);
                if (!store.lock(req.scope(), req.audienceKey(), owner, started, LEASE_MILLIS)) {
                    return failed(report, "audience '" + req.audienceKey() + "' is being synced by another run; try again when it has finished",
                            started, req, account, false);
                }
                locked = true;
            }
            w.owner = owner;
            plan(w);
            if (req.dryRun()) {
                examples(w);
                report.set("requests", account.requestsJson());
                return report;
            }
            apply(w);
            long finished = clock.millis();
            ObjectNode result = (ObjectNode) report.get("result");
            result.put("outcome", w.failures.total() == 0 ? "ok" : "partial");
            result.put("seconds", Math.round((finished - started) / 10.0) / 100.0);
            result.set("requests", account.requestsJson());
            record(req, report, started, finished, result.get("outcome").asText(), w.failures.total());
            return report;
        } catch (IllegalArgumentException e) {
            return failed(report, e.getMessage(), started, req, account, !req.dryRun());
        } catch (SendGridException e) {
            return failed(report, "SendGrid: " + e.getMessage(), started, req, account, !req.dryRun());
        } catch (Exception e) {
            log.error("cohort sync of audience '{}' failed", req.audienceKey(), e);
            return failed(report, e.getClass().getSimpleName() + ": " + e.getMessage(), started, req, account, !req.dryRun());
        } finally {
            w.close();
            if (locked) {
                store.unlock(req.scope(), req.audienceKey(), owner);
            }
        }
    }

    /** The state of one run, from planning to the last write. */
    private static final class Work implements AutoCloseable {
        final Request req;
        final AudienceAccount account;
        final ObjectNode report;
        final MemberHash hash = new MemberHash();
        final MemberTable table = new MemberTable(1 << 16);
        final Examples skipped = new Examples();
        final Examples fieldErrors = new Examples();
        final Examples failures = new Examples();
        String owner;
        FieldMapping mapping;
        Spool spool;
        Spool exported;
        Map<Long, String[]> merged = Map.of();
        String listId;
        boolean listChanged;
        boolean reconciling;
        final ObjectNode drift = JsonNodeFactory.instance.objectNode();
        PrefetchedLedger ledger;
        ActionContext ctx;
        long rowsRead;
        long members;
        long duplicates;
        long adds;
        long updates;
        long unchanged;
        long removes;
        long forgets;

        Work(Request req, AudienceAccount account, ObjectNode report) {
            this.req = req;
            this.account = account;
            this.report = report;
        }

        @Override
        public void close() {
            if (spool != null) {
                spool.close();
            }
            if (exported != null) {
                exported.close();
            }
        }
    }

    // ---- planning ------------------------------------------------------------------------------

    private void plan(Work w) throws Exception {
        Request req = w.req;
        Optional<Audience> existing = store.get(req.scope(), req.audienceKey());
        String listName = req.listName() != null ? req.listName() : existing.map(Audience::listName).orElse(req.audienceKey());
        if (listName.isBlank() || listName.length() > 100) {
            throw new IllegalArgumentException("a SendGrid list name is 1 to 100 characters; '" + listName + "' is not");
        }
        resolveList(w, existing.orElse(null), listName);
        w.reconciling = req.reconcile() && w.listId != null;

        loadState(w);
        readSource(w);
        mergeDuplicates(w);
        if (w.reconciling) {
            readSendGrid(w);
        }
        count(w);
        log.info("audience '{}': planned {} rows ({} members): {} adds, {} removes, {} updates, {} unchanged, {} skipped",
                req.audienceKey(), w.rowsRead, w.members, w.adds, w.removes, w.updates, w.unchanged, w.skipped.total());

        ObjectNode r = w.report;
        r.put("adds", w.adds);
        r.put("removes", w.removes);
        r.put("updates", w.updates);
        r.put("unchanged", w.unchanged);
        r.put("skipped", w.skipped.total());
        ObjectNode plan = r.putObject("plan");
        plan.put("rows", w.rowsRead);
        plan.put("members", w.members);
        plan.put("duplicates_merged", w.duplicates);
        plan.set("skipped", w.skipped.toJson());
        ObjectNode mapping = plan.putObject("mapping");
        mapping.put("email", w.mapping.columns.get(w.mapping.emailColumn));
        w.mapping.targets.forEach(t -> mapping.put(t.columnName(), t.custom() == null ? t.field() : "custom field " + t.field()));
        ArrayNode unknown = plan.putArray("unknown_fields");
        w.mapping.unknownFields.forEach(unknown::add);
        if (w.fieldErrors.total() > 0) {
            plan.set("field_errors", w.fieldErrors.toJson());
        }
        if (w.forgets > 0) {
            plan.put("forgotten", w.forgets);
        }
        if (w.reconciling) {
            plan.set("reconcile", w.drift);
        } else if (req.reconcile()) {
            plan.putObject("reconcile").put("skipped", "the list does not exist yet: nothing to compare with");
        }
    }

    private void resolveList(Work w, Audience existing, String listName) {
        SendGridApi api = w.account.api;
        String id = null;
        if (existing != null && existing.listId() != null && existing.listName().equals(listName)) {
            try {
                api.getList(existing.listId());
                id = existing.listId();
            } catch (SendGridException e) {
                if (e.status() != 404) {
                    throw e;
                }
                log.warn("list {} of audience '{}' no longer exists in SendGrid; finding or creating '{}' again",
                        existing.listId(), existing.key(), listName);
            }
        }
        boolean created = false;
        if (id == null) {
            w.account.lists.forget(listName);
            Optional<String> found = w.account.lists.find(listName);
            if (found.isPresent()) {
                id = found.get();
            } else if (!w.req.dryRun()) {
                id = w.account.lists.findOrCreate(listName);
                created = true;
            }
        }
        w.listId = id;
        // members stored as in another list (renamed audience, list deleted) are not in this one
        w.listChanged = existing != null && existing.listId() != null && !existing.listId().equals(id);
        ObjectNode list = w.report.putObject("list");
        list.put("name", listName);
        list.put("id", id);
        if (created) {
            list.put("created", true);
        }
        if (id == null) {
            list.put("will_create", true);
        }
        if (!w.req.dryRun()) {
            store.setList(w.req.scope(), w.req.audienceKey(), listName, id, "cohort", clock.millis());
        }
    }

    private void loadState(Work w) {
        store.forEachMember(w.req.scope(), w.req.audienceKey(), m -> {
            int slot = w.table.slot(w.hash.email(m.email()));
            w.table.set(slot, MemberTable.IN_STATE);
            if (m.inList() && !w.listChanged) {
                w.table.set(slot, MemberTable.STATE_IN_LIST);
            }
            if (m.fieldsHash() != null) {
                w.table.set(slot, MemberTable.STATE_HASH);
                w.table.stateHash(slot, m.fieldsHash());
            }
            if (!m.desired() || m.pending()) {
                w.table.set(slot, MemberTable.STATE_STALE);
            }
        });
    }

    private void readSource(Work w) throws Exception {
        try (CohortSource src = w.req.source().open(access)) {
            w.mapping = FieldMapping.resolve(src.columns(), w.req.map() == null ? Map.of() : w.req.map(), w.account.fields);
            w.spool = new Spool(spoolDir, w.mapping.targets.size());
            List<String> row;
            while ((row = src.next()) != null) {
                w.rowsRead++;
                long at = src.position();
                if (src.malformed()) {
                    w.skipped.add("malformed_row", example(at, null, "a quoted cell is never closed; the rest of the file is in it"));
                    continue;
                }
                String raw = w.mapping.email(row);
                if (raw == null || raw.isBlank()) {
                    w.skipped.add("missing_email", example(at, null, "the row has no email"));
                    continue;
                }
                String email = raw.trim().toLowerCase(Locale.ROOT);
                if (!ContactValidation.isEmail(email)) {
                    w.skipped.add("invalid_email", example(at, raw, "'" + raw + "' is not a valid email address"));
                    continue;
                }
                String[] values = w.mapping.values(row);
                for (int t = 0; t < values.length; t++) {
                    if (values[t] != null) {
                        String problem = w.mapping.targets.get(t).check(values[t]);
                        if (problem != null) {
                            w.fieldErrors.add(w.mapping.targets.get(t).columnName(), example(at, email, problem + "; the field is left out"));
                            values[t] = null;
                        }
                    }
                }
                int slot = w.table.slot(w.hash.email(email));
                if (w.table.has(slot, MemberTable.IN_SOURCE)) {
                    w.table.set(slot, MemberTable.DUPLICATE);
                    w.duplicates++;
                } else {
                    w.table.set(slot, MemberTable.IN_SOURCE);
                    w.table.sourceHash(slot, w.hash.fields(w.mapping.hashNames, values));
                    w.members++;
                }
                w.spool.add(email, values);
            }
        }
    }

    /** Rows of one email are merged in order, a later non-empty value winning; only duplicated emails are held. */
    private void mergeDuplicates(Work w) throws Exception {
        if (w.duplicates == 0) {
            return;
        }
        Map<Long, String[]> merged = new HashMap<>();
        w.spool.forEach(e -> {
            long key = w.hash.email(e.email());
            if (!w.table.has(w.table.find(key), MemberTable.DUPLICATE)) {
                return;
            }
            String[] into = merged.get(key);
            if (into == null) {
                merged.put(key, e.values().clone());
            } else {
                for (int i = 0; i < into.length; i++) {
                    if (e.values()[i] != null) {
                        into[i] = e.values()[i];
                    }
                }
            }
        });
        merged.forEach((key, values) -> w.table.sourceHash(w.table.find(key), w.hash.fields(w.mapping.hashNames, values)));
        w.merged = merged;
    }

    /** Reads the list's real members (export API); those the cohort does not hold are spooled for removal. */
    private void readSendGrid(Work w) {
        w.exported = new Spool(spoolDir, 1);
        long[] unexpected = {0};
        ArrayNode unexpectedExamples = JsonNodeFactory.instance.arrayNode();
        long listed = w.account.api.exportListMembers(w.listId, exportTimeout, c -> {
            int slot = c.email() == null ? -1 : w.table.find(w.hash.email(c.email()));
            if (slot >= 0) {
                w.table.set(slot, MemberTable.IN_EXPORT);
                if (w.table.has(slot, MemberTable.IN_SOURCE)) {
                    return;
                }
            }
            if (slot < 0 || !w.table.has(slot, MemberTable.STATE_IN_LIST)) {
                unexpected[0]++;
                if (unexpectedExamples.size() < Examples.KEPT) {
                    unexpectedExamples.add(c.email() == null ? "contact " + c.id() : c.email());
                }
            }
            w.exported.add(c.email() == null ? "contact " + c.id() : c.email(), new String[]{c.id()});
        });
        w.drift.put("list_members", listed);
        ObjectNode u = w.drift.putObject("unexpected_in_list");
        u.put("count", unexpected[0]);
        u.put("action", "removed from the list (added outside gridsync, not in the cohort)");
        u.set("examples", unexpectedExamples);
    }

    private Decision decide(Work w, int slot) {
        MemberTable t = w.table;
        boolean inList = w.reconciling ? t.has(slot, MemberTable.IN_EXPORT) : t.has(slot, MemberTable.STATE_IN_LIST);
        if (t.has(slot, MemberTable.IN_SOURCE)) {
            if (!inList) {
                return Decision.ADD;
            }
            boolean same = t.has(slot, MemberTable.STATE_HASH) && t.stateHash(slot) == t.sourceHash(slot)
                    && !t.has(slot, MemberTable.STATE_STALE) && t.has(slot, MemberTable.STATE_IN_LIST);
            return same ? Decision.UNCHANGED : Decision.UPDATE;
        }
        if (inList) {
            return Decision.REMOVE;
        }
        return t.has(slot, MemberTable.IN_STATE) ? Decision.FORGET : Decision.NONE;
    }

    private void count(Work w) {
        long missing = 0;
        long adopted = 0;
        long gone = 0;
        for (int slot = 0; slot < w.table.capacity(); slot++) {
            if (!w.table.used(slot)) {
                continue;
            }
            switch (decide(w, slot)) {
                case ADD -> w.adds++;
                case UPDATE -> w.updates++;
                case UNCHANGED -> w.unchanged++;
                case REMOVE -> w.removes++;
                case FORGET -> w.forgets++;
                default -> { }
            }
            if (w.reconciling) {
                int f = w.table.flags(slot);
                boolean source = (f & MemberTable.IN_SOURCE) != 0;
                boolean stored = (f & MemberTable.STATE_IN_LIST) != 0;
                boolean real = (f & MemberTable.IN_EXPORT) != 0;
                if (source && stored && !real) {
                    missing++;
                } else if (source && !stored && real) {
                    adopted++;
                } else if (!source && stored && !real) {
                    gone++;
                }
            }
        }
        if (w.reconciling) {
            // removals also take out list members gridsync never knew of (they have no slot)
            w.removes = w.exported.count();
            w.drift.putObject("missing_from_list").put("count", missing)
                    .put("action", "added back (removed outside gridsync, still in the cohort)");
            w.drift.putObject("already_in_list").put("count", adopted)
                    .put("action", "kept, and their fields sent (added outside gridsync, in the cohort)");
            w.drift.putObject("already_gone").put("count", gone)
                    .put("action", "forgotten without a call (left the cohort, already out of the list)");
        }
    }

    // ---- examples and apply ----------------------------------------------------------------------

    interface MemberVisitor {
        void member(String email, String[] values, int slot, Decision d) throws Exception;
    }

    /** Each cohort member once, with its merged values and its decision. */
    private void forEachMember(Work w, MemberVisitor v) throws Exception {
        w.spool.forEach(e -> {
            int slot = w.table.find(w.hash.email(e.email()));
            if (w.table.has(slot, MemberTable.DUPLICATE)) {
                String[] values = w.merged.remove(w.hash.email(e.email()));
                if (values == null) {
                    return; // a later row of an email already visited
                }
                v.member(e.email(), values, slot, decide(w, slot));
            } else {
                v.member(e.email(), e.values(), slot, decide(w, slot));
            }
        });
    }

    interface LeaverVisitor {
        void leaver(String email, Decision d) throws Exception;
    }

    /**
     * Stored members the cohort no longer holds: to remove from the list, or only to forget. They
     * are spooled first, so no SendGrid call is made while the database is being read.
     */
    private void forEachLeaver(Work w, LeaverVisitor v) throws Exception {
        try (Spool leavers = new Spool(spoolDir, 0)) {
            store.forEachMember(w.req.scope(), w.req.audienceKey(), m -> {
                Decision d = decide(w, w.table.find(w.hash.email(m.email())));
                if (d == Decision.REMOVE) {
                    leavers.add("R" + m.email(), new String[0]);
                } else if (d == Decision.FORGET) {
                    leavers.add("F" + m.email(), new String[0]);
                }
            });
            leavers.forEach(e -> v.leaver(e.email().substring(1), e.email().charAt(0) == 'R' ? Decision.REMOVE : Decision.FORGET));
        }
    }

    private void examples(Work w) throws Exception {
        Map<Decision, ArrayNode> ex = new HashMap<>();
        for (Decision d : List.of(Decision.ADD, Decision.UPDATE, Decision.REMOVE)) {
            ex.put(d, JsonNodeFactory.instance.arrayNode());
        }
        forEachMember(w, (email, values, slot, d) -> {
            ArrayNode a = ex.get(d);
            if (a != null && a.size() < Examples.KEPT) {
                a.add(email);
            }
        });
        if (w.reconciling) {
            w.exported.forEach(e -> {
                if (ex.get(Decision.REMOVE).size() < Examples.KEPT) {
                    ex.get(Decision.REMOVE).add(e.email());
                }
            });
        } else {
            forEachLeaver(w, (email, d) -> {
                if (d == Decision.REMOVE && ex.get(Decision.REMOVE).size() < Examples.KEPT) {
                    ex.get(Decision.REMOVE).add(email);
                }
            });
        }
        ObjectNode o = ((ObjectNode) w.report.get("plan")).putObject("examples");
        o.set("adds", ex.get(Decision.ADD));
        o.set("updates", ex.get(Decision.UPDATE));
        o.set("removes", ex.get(Decision.REMOVE));
    }

    /** A buffer of contacts for one kind of upsert, flushed at {@link #CHUNK}. */
    private final class Batch {
        final String kind;
        final String listId;
        final List<String> emails = new ArrayList<>(CHUNK);
        final List<String[]> values = new ArrayList<>(CHUNK);
        final List<Long> hashes = new ArrayList<>(CHUNK);
        long done;
        long sent;

        Batch(String kind, String listId) {
            this.kind = kind;
            this.listId = listId;
        }

        void add(Work w, String email, String[] v, long hash) {
            emails.add(email);
            values.add(v);
            hashes.add(hash);
            if (emails.size() >= CHUNK) {
                flush(w);
            }
        }

        void flush(Work w) {
            if (emails.isEmpty()) {
                return;
            }
            List<ContactDraft> drafts = new ArrayList<>(emails.size());
            for (int i = 0; i < emails.size(); i++) {
                ContactDraft d = new ContactDraft().identifier("email", emails.get(i)).input(i);
                String[] v = values.get(i);
                for (int t = 0; t < v.length; t++) {
                    if (v[t] != null) {
                        w.mapping.targets.get(t).apply(d, v[t]);
                    }
                }
                if (listId != null) {
                    d.list(listId);
                }
                drafts.add(d);
            }
            w.ledger.prefetch(emails);
            Map<Integer, Outcome> outcomes = upserter.upsert(drafts, w.ctx);
            List<MemberWrite> writes = new ArrayList<>(emails.size());
            for (int i = 0; i < emails.size(); i++) {
                Outcome o = outcomes.get(i);
                if (o instanceof Outcome.Done) {
                    writes.add(MemberWrite.synced(emails.get(i), true, hashes.get(i)));
                    done++;
                } else {
                    String reason = o == null ? "no outcome" : o.detail();
                    writes.add(MemberWrite.failed(emails.get(i), true, reason));
                    w.failures.add(kind, failure(emails.get(i), reason));
                }
            }
            store.write(w.req.scope(), w.req.audienceKey(), writes, clock.millis());
            sent += emails.size();
            log.info("audience '{}': {} {} sent, {} done", w.req.audienceKey(), sent, kind + "s", done);
            store.lock(w.req.scope(), w.req.audienceKey(), w.owner, clock.millis(), LEASE_MILLIS);
            emails.clear();
            values.clear();
            hashes.clear();
        }
    }

    private void apply(Work w) throws Exception {
        w.ledger = new PrefetchedLedger(store.database(), w.req.scope());
        w.ctx = w.account.context(w.ledger, clock);
        Batch adds = new Batch("add", w.listId);
        Batch updates = new Batch("update", null);
        forEachMember(w, (email, values, slot, d) -> {
            if (d == Decision.ADD) {
                adds.add(w, email, values, w.table.sourceHash(slot));
            } else if (d == Decision.UPDATE) {
                updates.add(w, email, values, w.table.sourceHash(slot));
            }
        });
        adds.flush(w);
        updates.flush(w);

        long[] removed = {0};
        long[] absent = {0};
        List<String> window = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        List<MemberWrite> forgotten = new ArrayList<>();
        if (w.reconciling) {
            w.exported.forEach(e -> {
                window.add(e.email());
                ids.put(e.email(), e.values()[0]);
                if (window.size() >= REMOVE_WINDOW) {
                    removeWindow(w, window, ids, removed, absent);
                }
            });
        }
        forEachLeaver(w, (email, d) -> {
            if (d == Decision.REMOVE && !w.reconciling) {
                window.add(email);
                if (window.size() >= REMOVE_WINDOW) {
                    removeWindow(w, window, ids, removed, absent);
                }
            } else if (d == Decision.FORGET) {
                forgotten.add(MemberWrite.deleted(email));
                if (forgotten.size() >= CHUNK) {
                    store.write(w.req.scope(), w.req.audienceKey(), forgotten, clock.millis());
                    forgotten.clear();
                }
            }
        });
        removeWindow(w, window, ids, removed, absent);
        store.write(w.req.scope(), w.req.audienceKey(), forgotten, clock.millis());

        ObjectNode result = w.report.putObject("result");
        result.put("added", adds.done);
        result.put("updated", updates.done);
        result.put("removed", removed[0]);
        if (absent[0] > 0) {
            result.put("already_out_of_list", absent[0]);
        }
        result.put("forgotten", w.forgets);
        result.put("failed", w.failures.total());
        result.set("failures", w.failures.toJson());
    }

    private void removeWindow(Work w, List<String> window, Map<String, String> ids, long[] removed, long[] absent) {
        if (window.isEmpty()) {
            return;
        }
        Map<String, Outcome> outcomes = ListRemoval.remove(w.account.api, w.listId, window, ids, w.account.jobTimeout);
        List<MemberWrite> writes = new ArrayList<>(window.size());
        for (String email : window) {
            Outcome o = outcomes.get(email);
            boolean known = !email.startsWith("contact ");
            if (o instanceof Outcome.Done) {
                if (ListRemoval.ABSENT.equals(o.detail())) {
                    absent[0]++;
                } else {
                    removed[0]++;
                }
                if (known) {
                    writes.add(MemberWrite.deleted(email));
                }
            } else {
                String reason = o == null ? "no outcome" : o.detail();
                w.failures.add("remove", failure(email, reason));
                if (known) {
                    writes.add(MemberWrite.failed(email, false, reason));
                }
            }
        }
        store.write(w.req.scope(), w.req.audienceKey(), writes, clock.millis());
        store.lock(w.req.scope(), w.req.audienceKey(), w.owner, clock.millis(), LEASE_MILLIS);
        window.clear();
        ids.clear();
    }

    // ---- reporting -----------------------------------------------------------------------------

    private ObjectNode failed(ObjectNode report, String error, long started, Request req, AudienceAccount account, boolean record) {
        long finished = clock.millis();
        report.put("error", error);
        for (String k : List.of("adds", "removes", "updates", "unchanged", "skipped")) {
            if (!report.has(k)) {
                report.put(k, 0);
            }
        }
        if (!req.dryRun()) {
            ObjectNode result = report.has("result") ? (ObjectNode) report.get("result") : report.putObject("result");
            result.put("outcome", "failed");
            result.put("error", error);
            result.put("seconds", Math.round((finished - started) / 10.0) / 100.0);
            result.set("requests", account.requestsJson());
        } else {
            report.set("requests", account.requestsJson());
        }
        if (record) {
            try {
                long failedCount = report.path("result").path("failed").asLong(0);
                record(req, report, started, finished, "failed", failedCount);
            } catch (RuntimeException e) {
                log.error("could not record the failed run of audience '{}': {}", req.audienceKey(), e.toString());
            }
        }
        return report;
    }

    private void record(Request req, ObjectNode report, long started, long finished, String outcome, long failed) {
        runs.record(new AudienceRuns.Run(req.scope(), req.audienceKey(), req.syncId(), req.trigger(), started, finished, outcome,
                report.path("adds").asLong(), report.path("removes").asLong(), report.path("updates").asLong(),
                report.path("unchanged").asLong(), report.path("skipped").asLong(), failed, report));
    }

    private static JsonNode example(long row, String value, String reason) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("row", row);
        if (value != null) {
            o.put("value", value);
        }
        o.put("reason", reason);
        return o;
    }

    private static JsonNode failure(String email, String reason) {
        return JsonNodeFactory.instance.objectNode().put("email", email).put("reason", reason);
    }
}
