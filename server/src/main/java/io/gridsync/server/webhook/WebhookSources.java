package io.gridsync.server.webhook;

import io.gridsync.server.forward.ForwardFormat;
import io.gridsync.server.forward.Forwarding;
import io.gridsync.server.secrets.SealedSecretException;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.ChangeListeners;
import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The webhook sources, kept in the hub's state database (table webhook_sources) and cached, so a
 * post looks its source up without a query. The default source {@value #DEFAULT} always exists;
 * its key is SENDGRID_WEBHOOK_PUBLIC_KEY unless one was set with the admin API. Other sources
 * exist once created with the admin API, so nobody can make schemas by posting to made-up names.
 */
public final class WebhookSources {

    private static final Logger log = LoggerFactory.getLogger(WebhookSources.class);
    public static final String DEFAULT = "sendgrid";
    /** A source name is its schema name: lower-case SQL identifiers everywhere. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final Database db;
    private final SecretBox box;
    private final String environmentKey;
    private final Clock clock;
    private final Map<String, WebhookSource> cache = new ConcurrentHashMap<>();
    private final ChangeListeners listeners = new ChangeListeners("webhook sources");

    /** @param environmentKey SENDGRID_WEBHOOK_PUBLIC_KEY, or null */
    public WebhookSources(Database db, SecretBox box, String environmentKey, Clock clock) {
        this.db = db;
        this.box = box;
        this.environmentKey = environmentKey == null || environmentKey.isBlank() ? null : environmentKey.trim();
        this.clock = clock;
        if (this.environmentKey != null) {
            SignatureVerifier.parseKey(this.environmentKey); // a bad key stops the start, with the reason
        }
        reload();
    }

    /** Checks a source name, which is also its warehouse schema's name. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith("pg_")) {
            throw new IllegalArgumentException("source name '" + name + "' must be 1 to 63 lower-case letters, digits or underscores, "
                    + "starting with a letter (it is also the warehouse schema's name)");
        }
        return name;
    }

    /** Runs {@code listener} after each committed change to a source (not after {@link #reload()}). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public Optional<WebhookSource> find(String name) {
        return Optional.ofNullable(cache.get(name));
    }

    public List<WebhookSource> list() {
        return List.copyOf(new TreeMap<>(cache).values());
    }

    /** Creates the source when it does not exist; returns it. */
    public WebhookSource create(String name) {
        checkName(name);
        long now = clock.millis();
        boolean added = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_sources (source, created_at, updated_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (source) DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, now);
                ps.setLong(3, now);
                return ps.executeUpdate() > 0;
            }
        });
        WebhookSource s = reload(name);
        if (added) {
            listeners.changed();
        }
        return s;
    }

    /** Sets (or with null, removes) the verification key; checks that it is a P-256 key first. */
    public WebhookSource setPublicKey(String name, String keyText) {
        if (keyText != null) {
            SignatureVerifier.parseKey(keyText);
        }
        create(name);
        update(name, "UPDATE webhook_sources SET public_key = ?, updated_at = ? WHERE source = ?", keyText == null ? null : keyText.trim());
        WebhookSource s = reload(name);
        listeners.changed();
        return s;
    }

    /** Sets (or with null, removes) forwarding. */
    public WebhookSource setForwarding(String name, Forwarding forwarding) {
        create(name);
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_sources SET forward_url = ?, forward_format = ?, "
                    + "forward_key_sealed = ?, updated_at = ? WHERE source = ?")) {
                ps.setString(1, forwarding == null ? null : forwarding.url());
                ps.setString(2, forwarding == null ? null : forwarding.format().wireName());
                ps.setString(3, forwarding == null || forwarding.key() == null ? null : box.seal(forwarding.key()));
                ps.setLong(4, now);
                ps.setString(5, name);
                ps.executeUpdate();
            }
            return null;
        });
        WebhookSource s = reload(name);
        listeners.changed();
        return s;
    }

    private void update(String name, String sql, String value) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, value);
                ps.setLong(2, now);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private WebhookSource reload(String name) {
        reload();
        return cache.get(name);
    }

    /** Reads the sources again (another node changed them). */
    public synchronized void reload() {
        Map<String, WebhookSource> fresh = new TreeMap<>();
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source, public_key, forward_url, forward_format, forward_key_sealed "
                    + "FROM webhook_sources"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    WebhookSource s = read(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                    fresh.put(s.name(), s);
                }
            }
            return null;
        });
        if (!fresh.containsKey(DEFAULT)) {
            fresh.put(DEFAULT, read(DEFAULT, null, null, null, null));
        }
        cache.keySet().retainAll(fresh.keySet());
        cache.putAll(fresh);
    }

    private WebhookSource read(String name, String key, String forwardUrl, String format, String sealed) {
        String origin = key != null ? "admin" : null;
        if (key == null && name.equals(DEFAULT) && environmentKey != null) {
            key = environmentKey;
            origin = "environment";
        }
        Forwarding forwarding = null;
        if (forwardUrl != null) {
            String secret = null;
            if (sealed != null) {
                try {
                    secret = box.unseal(sealed);
                } catch (SealedSecretException e) {
                    log.error("source {}: the forwarding key cannot be unsealed ({}); set it again with "
                            + "PATCH /v1/admin/sources/{} {\"forwarding\": ...}", name, e.getMessage(), name);
                }
            }
            forwarding = new Forwarding(forwardUrl, ForwardFormat.of(format), secret);
        }
        return new WebhookSource(name, key, key == null ? null : SignatureVerifier.parseKey(key), origin, forwarding);
    }

    /** Names of the sources that forward, for the forwarder. */
    public List<WebhookSource> forwarding() {
        List<WebhookSource> out = new ArrayList<>();
        for (WebhookSource s : cache.values()) {
            if (s.forwarding() != null) {
                out.add(s);
            }
        }
        return out;
    }
}
