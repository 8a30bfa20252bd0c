package io.gridsync.core.integration;

import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionPayloads;
import io.gridsync.core.action.behaviour.UpdateContactFields;
import io.gridsync.core.action.deletecontact.DeleteContact;
import io.gridsync.core.action.sendemail.SendEmail;
import io.gridsync.core.action.syncaudience.SyncAudience;
import io.gridsync.core.action.upsertcontact.UpsertContact;
import io.gridsync.core.mapping.MappingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The action catalog, in the order a batch runs them: contacts exist before fields, lists or mail refer to them. */
public final class Actions {

    private static final Map<String, Action> BY_KEY = new LinkedHashMap<>();

    static {
        for (Action a : List.of(new UpsertContact(), new SyncAudience(), new UpdateContactFields(), new SendEmail(), new DeleteContact())) {
            BY_KEY.put(a.key(), a);
        }
    }

    private Actions() {}

    public static Set<String> keys() {
        return BY_KEY.keySet();
    }

    public static Action get(String key) {
        Action a = BY_KEY.get(key);
        if (a == null) {
            throw new IllegalArgumentException("unknown action '" + key + "'; actions are " + BY_KEY.keySet());
        }
        return a;
    }

    /** A subscription ready to run: its parsed trigger, its action, its compiled payload mapping. */
    public record Compiled(Subscription subscription, Trigger trigger, Action action, ActionPayloads payloads) {}

    /** Compiles every enabled subscription; errors name the subscription. */
    public static List<Compiled> compile(Integration integration) {
        List<Compiled> out = new ArrayList<>();
        for (Subscription s : integration.subscriptions()) {
            if (!s.enabled()) {
                continue;
            }
            try {
                Action a = get(s.action());
                out.add(new Compiled(s, Trigger.parse(s.trigger()), a, new ActionPayloads(a, s.mapping())));
            } catch (IllegalArgumentException | MappingException e) {
                throw new IllegalArgumentException("subscription '" + s.name() + "': " + e.getMessage(), e);
            }
        }
        // run in catalog order, whatever order the file lists them in
        List<String> order = new ArrayList<>(BY_KEY.keySet());
        out.sort((x, y) -> Integer.compare(order.indexOf(x.action().key()), order.indexOf(y.action().key())));
        return out;
    }
}
