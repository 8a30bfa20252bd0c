package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.action.syncaudience.SyncAudience;
import io.gridsync.core.contact.ContactValidation;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.message.Message;
import io.gridsync.server.router.DeliveryListener;
import io.gridsync.server.router.Target;
import io.gridsync.server.store.Database;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.gridsync.core.action.ActionSupport.text;

/**
 * Keeps audience membership for Engage-shaped events: after the router delivered a batch through a
 * Sync Audience subscription, each message's change (audience key, list, email, entered or left)
 * is recorded with its outcome: a delivered change moves the member (one who left is forgotten,
 * the contact stays in SendGrid); a failed one records what was wanted and why it is not so.
 * Members are keyed by email: a change without an email is delivered but not recorded here.
 */
public final class AudienceEvents implements DeliveryListener {

    private static final Set<String> CLASSES = Set.of("audience", "journey_step");

    private final Database db;
    private final Clock clock;

    public AudienceEvents(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private record Change(String key, String listName, String listId, String email, boolean member, Outcome outcome) {}

    @Override
    public void delivered(Target target, Actions.Compiled s, List<Message> messages, List<Outcome> outcomes, ActionContext ctx) {
        if (!SyncAudience.KEY.equals(s.action().key())) {
            return;
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Change c = change(s.payloads().resolve(messages.get(i)), outcomes.get(i), ctx);
            if (c != null) {
                changes.add(c);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        long now = clock.millis();
        db.inTransaction(c -> {
            // per audience, the last change of each person in the batch is the one kept
            Map<String, Map<String, MemberWrite>> byAudience = new LinkedHashMap<>();
            Map<String, Boolean> allDone = new LinkedHashMap<>();
            Map<String, Change> lastOfAudience = new LinkedHashMap<>();
            for (Change ch : changes) {
                lastOfAudience.put(ch.key(), ch);
                MemberWrite w = ch.outcome() instanceof Outcome.Done ? MemberWrite.synced(ch.email(), ch.member(), null)
                        : MemberWrite.failed(ch.email(), ch.member(), ch.outcome().detail());
                Map<String, MemberWrite> members = byAudience.computeIfAbsent(ch.key(), k -> new LinkedHashMap<>());
                members.remove(ch.email());
                members.put(ch.email(), w);
                allDone.merge(ch.key(), ch.outcome() instanceof Outcome.Done, Boolean::logicalAnd);
            }
            for (Change ch : lastOfAudience.values()) {
                AudienceStore.setList(c, target.id(), ch.key(), ch.listName(), ch.listId(), "engage", now);
            }
            for (Map.Entry<String, Map<String, MemberWrite>> e : byAudience.entrySet()) {
                AudienceStore.write(c, target.id(), e.getKey(), new ArrayList<>(e.getValue().values()), now);
                AudienceStore.recordSync(c, target.id(), e.getKey(), now, allDone.get(e.getKey()) ? "ok" : "partial", null);
            }
            return null;
        });
    }

    /** The change a resolved Sync Audience payload asks for, or null when it is not one gridsync can key. */
    private static Change change(ObjectNode p, Outcome outcome, ActionContext ctx) {
        String klass = text(p, "segment_computation_action");
        String key = text(p, "segment_audience_key");
        if (klass == null || !CLASSES.contains(klass) || key == null) {
            return null;
        }
        JsonNode flag = p.path("traits_or_props").get(key);
        String raw = text(p.path("identifiers"), "email");
        if (flag == null || !flag.isBoolean() || raw == null) {
            return null;
        }
        String email = raw.toLowerCase(Locale.ROOT);
        if (!ContactValidation.isEmail(email)) {
            return null;
        }
        String listName = text(p, "list_name") != null ? text(p, "list_name") : key;
        String listId = text(p, "external_audience_id");
        if (listId == null) {
            listId = ctx.lists().cached(listName).orElse(null);
        }
        return new Change(key, listName, listId, email, flag.asBoolean(), outcome);
    }
}
