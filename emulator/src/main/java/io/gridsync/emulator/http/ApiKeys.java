package io.gridsync.emulator.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API keys the emulator accepts and the scopes each one carries.
 * With no key configured, any {@code SG.}-prefixed key is accepted with every scope,
 * so a fresh quick start works with whatever key a user has at hand.
 */
public final class ApiKeys {

    /** Every scope an endpoint of the emulator checks; a full-access key has all of them. */
    public static final Set<String> ALL_SCOPES = Set.copyOf(new TreeSet<>(Set.of(
            "mail.send",
            "marketing.read", "marketing.write",
            "templates.read", "templates.create", "templates.update", "templates.delete",
            "templates.versions.read", "templates.versions.create", "templates.versions.activate.create",
            "suppression.bounces.read", "suppression.blocks.read", "suppression.spam_reports.read",
            "suppression.invalid_emails.read", "suppression.unsubscribes.read", "suppression.bounces.delete",
            "suppression.blocks.delete", "suppression.spam_reports.delete", "suppression.invalid_emails.delete",
            "asm.groups.create", "asm.groups.read", "asm.groups.update", "asm.groups.delete",
            "asm.groups.suppressions.create", "asm.groups.suppressions.read", "asm.groups.suppressions.delete",
            "asm.suppressions.global.create", "asm.suppressions.global.read", "asm.suppressions.global.delete",
            "stats.global.read",
            "user.account.read", "user.profile.read",
            "user.webhooks.event.settings.read", "user.webhooks.event.settings.update",
            "user.webhooks.event.test.create")));

    private final Map<String, Set<String>> keys = new LinkedHashMap<>();

    /**
     * Parses {@code KEY} (full access) or {@code KEY=scope1,scope2} (restricted), as given to
     * {@code --api-key}.
     */
    public static Map.Entry<String, Set<String>> parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return Map.entry(spec, ALL_SCOPES);
        }
        Set<String> scopes = new TreeSet<>();
        for (String s : spec.substring(eq + 1).split(",")) {
            if (!s.isBlank()) {
                scopes.add(s.trim());
            }
        }
        return Map.entry(spec.substring(0, eq), Set.copyOf(scopes));
    }

    public synchronized void add(String key, Set<String> scopes) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("an API key must not be empty");
        }
        keys.put(key, Set.copyOf(scopes));
    }

    public synchronized boolean isOpen() {
        return keys.isEmpty();
    }

    /** The scopes of a key, or empty when the key is unknown. */
    public synchronized Optional<Set<String>> scopesOf(String key) {
        if (key == null) {
            return Optional.empty();
        }
        if (keys.isEmpty()) {
            return key.startsWith("SG.") ? Optional.of(ALL_SCOPES) : Optional.empty();
        }
        return Optional.ofNullable(keys.get(key));
    }

    /** Never prints the keys themselves. */
    @Override
    public synchronized String toString() {
        return keys.isEmpty() ? "ApiKeys[any SG. key]" : "ApiKeys[" + keys.size() + " configured]";
    }
}
