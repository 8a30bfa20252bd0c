package io.gridsync.server.integrations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.integration.Presets;
import io.gridsync.core.integration.Subscription;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.secrets.SealedSecretException;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The integrations the hub delivers to and their subscriptions, in the state database. API keys
 * are sealed with {@link SecretBox} before they are written; rows hand out only the masked key,
 * {@link #apiKey} the real one. Every subscription is compiled with core's {@link Actions} before it
 * is stored, so the router never meets one that cannot run. Each committed change bumps
 * {@link #version()} and runs the {@link #onChange} listeners, so the router can reload.
 */
public final class IntegrationStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String SERVER_SIDE = "server_side";
    public static final int MAX_NAME_LENGTH = 100;
    /** Tables keyed by integration whose rows are that integration's own state, removed with it. */
    private static final List<String> OWN_STATE = List.of("subscriptions", "contact_identifiers", "person_contacts",
            "value_totals", "value_applied", "list_names", "audiences", "audience_members", "audience_runs", "audience_syncs");

    private final Database db;
    private final SecretBox box;
    private final AtomicLong version = new AtomicLong();
    private final io.gridsync.server.store.ChangeListeners listeners =
            new io.gridsync.server.store.ChangeListeners("integrations and subscriptions");

    public IntegrationStore(Database db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    // ---- change notification -------------------------------------------------------------------

    /** Runs {@code listener} after every committed change to an integration or subscription. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Grows by one per committed change; a reader that saw the same number has the same integrations. */
    public long version() {
        return version.get();
    }

    /**
     * Another node of the cluster changed integrations or subscriptions: readers of {@link #version()}
     * reload. The listeners are not run; they hear of this node's own commits.
     */
    public void changedElsewhere() {
        version.incrementAndGet();
    }

    private void changed() {
        version.incrementAndGet();
        listeners.changed();
    }

    // ---- integrations --------------------------------------------------------------------------

    /** Installs an integration; its subscriptions are the given ones or, when none, the presets. */
    public StoredIntegration create(NewIntegration n) {
        String name = checkName(n.name());
        if (n.apiKey() == null) {
            throw new IllegalArgumentException("api_key is required: the SendGrid API key (it starts with SG.)");
        }
        String mode = n.deliveryMode() == null ? SERVER_SIDE : n.deliveryMode();
        checkDeliveryMode(mode);
        String endpoint = checkEndpoint(n.endpoint() == null ? "global" : n.endpoint());
        String consent = checkConsent(n.consentCategory() == null ? Integration.DEFAULT_CONSENT_CATEGORY : n.consentCategory());
        String variant = n.variant() == null || n.variant().isBlank() ? "default" : n.variant().trim();
        if (variant.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("variant is " + variant.length() + " characters; at most " + MAX_NAME_LENGTH);
        }
        List<Subscription> subs = n.subscriptions() == null || n.subscriptions().isEmpty()
                ? presets(n.emailPreset()) : n.subscriptions();
        checkUnique(subs);
        subs.forEach(IntegrationStore::validate);

        String id = "int_" + HexFormat.of().formatHex(randomBytes(8));
        long now = System.currentTimeMillis();
        inTransaction(c -> {
            if (findIdByName(c, name) != null) {
                throw nameTaken(name);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO integrations (id, name, variant, delivery_mode, endpoint, "
                    + "api_key_sealed, default_list_id, consent_category, create_missing_fields, email_preset, enabled, created_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, variant);
                ps.setString(4, mode);
                ps.setString(5, endpoint);
                ps.setString(6, box.seal(n.apiKey().reveal()));
                setNullable(ps, 7, blankToNull(n.defaultListId()));
                ps.setString(8, consent);
                ps.setInt(9, n.createMissingFields() ? 1 : 0);
                setNullable(ps, 10, n.emailPreset() == null || n.emailPreset().isNull() ? null : json(n.emailPreset()));
                ps.setInt(11, n.enabled() ? 1 : 0);
                ps.setLong(12, now);
                ps.setLong(13, now);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw nameTaken(name);
                }
                throw e;
            }
            int position = 0;
            for (Subscription s : subs) {
                insertSubscription(c, id, s, position++);
            }
            return null;
        });
        changed();
        return get(id).orElseThrow();
    }

    public Optional<StoredIntegration> get(String id) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<StoredIntegration>empty();
                }
            }
        });
    }

    public Optional<StoredIntegration> findByName(String name) {
        return query(c -> {
            String id = findIdByName(c, name);
            return id == null ? Optional.<String>empty() : Optional.of(id);
        }).flatMap(this::get);
    }

    public List<StoredIntegration> list() {
        return query(c -> {
            List<StoredIntegration> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM integrations ORDER BY created_at, name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    /** Applies a partial update; empty when there is no such integration. */
    public Optional<StoredIntegration> update(String id, IntegrationPatch p) {
        if (p.name() != null) {
            checkName(p.name());
        }
        if (p.endpoint() != null) {
            checkEndpoint(p.endpoint());
        }
        if (p.consentCategory() != null) {
            checkConsent(p.consentCategory());
        }
        boolean found = inTransaction(c -> {
            if (!exists(c, id)) {
                return false;
            }
            if (p.isEmpty()) {
                return true;
            }
            if (p.name() != null) {
                String other = findIdByName(c, p.name().trim());
                if (other != null && !other.equals(id)) {
                    throw nameTaken(p.name().trim());
                }
            }
            List<String> sets = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            if (p.name() != null) {
                sets.add("name = ?");
                values.add(p.name().trim());
            }
            if (p.apiKey() != null) {
                sets.add("api_key_sealed = ?");
                values.add(box.seal(p.apiKey().reveal()));
            }
            if (p.endpoint() != null) {
                sets.add("endpoint = ?");
                values.add(checkEndpoint(p.endpoint()));
            }
            if (p.defaultListId() != null) {
                sets.add("default_list_id = ?");
                values.add(p.defaultListId().map(IntegrationStore::blankToNull).orElse(null));
            }
            if (p.consentCategory() != null) {
                sets.add("consent_category = ?");
                values.add(p.consentCategory().trim());
            }
            if (p.createMissingFields() != null) {
                sets.add("create_missing_fields = ?");
                values.add(p.createMissingFields() ? 1 : 0);
            }
            if (p.enabled() != null) {
                sets.add("enabled = ?");
                values.add(p.enabled() ? 1 : 0);
            }
            sets.add("updated_at = ?");
            values.add(System.currentTimeMillis());
            try (PreparedStatement ps = c.prepareStatement("UPDATE integrations SET " + String.join(", ", sets) + " WHERE id = ?")) {
                int i = 1;
                for (Object v : values) {
                    if (v == null) {
                        ps.setNull(i++, Types.VARCHAR);
                    } else if (v instanceof Integer n) {
                        ps.setInt(i++, n);
                    } else if (v instanceof Long n) {
                        ps.setLong(i++, n);
                    } else {
                        ps.setString(i++, (String) v);
                    }
                }
                ps.setString(i, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw nameTaken(p.name());
                }
                throw e;
            }
            return true;
        });
        if (!found) {
            return Optional.empty();
        }
        if (!p.isEmpty()) {
            changed();
        }
        return get(id);
    }

    /** Jobs of this integration still waiting for delivery (pending or blocked). */
    public long waitingJobs(String id) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM jobs WHERE integration_id = ? AND state IN ('pending', 'blocked')")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Deletes an integration, its subscriptions and its ledgers. Jobs still waiting refuse the
     * delete unless {@code deadLetterWaitingJobs}: then they are dead-lettered with the reason
     * "integration deleted", never dropped silently. Delivery history (jobs, attempts) stays.
     *
     * @return false when there is no such integration
     */
    public boolean delete(String id, boolean deadLetterWaitingJobs) {
        boolean deleted = inTransaction(c -> {
            Optional<String> name = nameOf(c, id);
            if (name.isEmpty()) {
                return false;
            }
            long now = System.currentTimeMillis();
            if (deadLetterWaitingJobs) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'dead', last_error = ?, updated_at = ?, "
                        + "lease_owner = NULL, lease_until = NULL WHERE integration_id = ? AND state IN ('pending', 'blocked')")) {
                    ps.setString(1, "integration deleted before delivery");
                    ps.setLong(2, now);
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM jobs WHERE integration_id = ? AND state IN ('pending', 'blocked')")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long waiting = rs.getLong(1);
                        if (waiting > 0) {
                            throw new IntegrationConflictException("integration '" + name.get() + "' still has " + waiting
                                    + " jobs waiting for delivery; let them finish (disable the integration to stop new ones), "
                                    + "or delete with ?force=true to dead-letter them");
                        }
                    }
                }
            }
            for (String table : OWN_STATE) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE integration_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return true;
        });
        if (deleted) {
            changed();
        }
        return deleted;
    }

    // ---- what the delivery side needs ------------------------------------------------------------

    /** The integration as core runs it: endpoint, list, consent, and its subscriptions in order. */
    public Integration toCore(String id) {
        StoredIntegration s = get(id).orElseThrow(() -> new NoSuchElementException("no integration with id " + id));
        return new Integration(s.name(), s.endpoint(), s.defaultListId(), s.consentCategory(), s.createMissingFields(),
                subscriptions(id));
    }

    /** The unsealed API key, for the SendGrid client only. */
    public ApiKey apiKey(String id) {
        String sealed = query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT api_key_sealed FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (sealed == null) {
            throw new NoSuchElementException("no integration with id " + id);
        }
        return new ApiKey(box.unseal(sealed));
    }

    // ---- subscriptions -------------------------------------------------------------------------

    /** The subscriptions of an integration in their order (empty for an unknown integration). */
    public List<Subscription> subscriptions(String integrationId) {
        return query(c -> {
            List<Subscription> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM subscriptions WHERE integration_id = ? ORDER BY position, name")) {
                ps.setString(1, integrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(subscriptionRow(rs));
                    }
                }
            }
            return out;
        });
    }

    public Optional<Subscription> subscription(String integrationId, String name) {
        return query(c -> findSubscription(c, integrationId, name));
    }

    /**
     * Adds a subscription after the others.
     *
     * @throws NoSuchElementException        no such integration
     * @throws IntegrationConflictException  the integration already has a subscription of that name
     * @throws IllegalArgumentException      it does not compile (the message names it)
     */
    public Subscription addSubscription(String integrationId, Subscription s) {
        validate(s);
        inTransaction(c -> {
            requireIntegration(c, integrationId);
            if (findSubscription(c, integrationId, s.name()).isPresent()) {
                throw new IntegrationConflictException("the integration already has a subscription named '" + s.name()
                        + "'; change it with PUT .../subscriptions/{name} or choose another name");
            }
            int position;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(position), -1) + 1 FROM subscriptions WHERE integration_id = ?")) {
                ps.setString(1, integrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    position = rs.getInt(1);
                }
            }
            try {
                insertSubscription(c, integrationId, s, position);
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw new IntegrationConflictException("the integration already has a subscription named '" + s.name() + "'");
                }
                throw e;
            }
            touch(c, integrationId);
            return null;
        });
        changed();
        return s;
    }

    /**
     * Replaces the subscription called {@code name} (keeping its place), or adds it when there is none.
     *
     * @return true when it replaced one, false when it added it
     */
    public boolean putSubscription(String integrationId, Subscription s) {
        validate(s);
        boolean replaced = inTransaction(c -> {
            requireIntegration(c, integrationId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE subscriptions SET trigger_expr = ?, action = ?, mapping = ?, "
                    + "enabled = ? WHERE integration_id = ? AND name = ?")) {
                ps.setString(1, s.trigger());
                ps.setString(2, s.action());
                setNullable(ps, 3, s.mapping() == null || s.mapping().isNull() ? null : json(s.mapping()));
                ps.setInt(4, s.enabled() ? 1 : 0);
                ps.setString(5, integrationId);
                ps.setString(6, s.name());
                if (ps.executeUpdate() == 1) {
                    touch(c, integrationId);
                    return true;
                }
            }
            int position;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(position), -1) + 1 FROM subscriptions WHERE integration_id = ?")) {
                ps.setString(1, integrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    position = rs.getInt(1);
                }
            }
            insertSubscription(c, integrationId, s, position);
            touch(c, integrationId);
            return false;
        });
        changed();
        return replaced;
    }

    /** @return false when there was no such subscription */
    public boolean deleteSubscription(String integrationId, String name) {
        boolean deleted = inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscriptions WHERE integration_id = ? AND name = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            touch(c, integrationId);
            return true;
        });
        if (deleted) {
            changed();
        }
        return deleted;
    }

    /**
     * Checks a subscription the way the router will run it: name, trigger, action and mapping
     * compiled by core. A disabled subscription is checked too, so enabling it later cannot fail.
     */
    public static void validate(Subscription s) {
        checkSubscriptionName(s.name());
        if (s.trigger() == null || s.trigger().isBlank()) {
            throw new IllegalArgumentException("subscription '" + s.name() + "': trigger is required, e.g. type = \"identify\"");
        }
        if (s.action() == null || s.action().isBlank()) {
            throw new IllegalArgumentException("subscription '" + s.name() + "': action is required, one of " + Actions.keys());
        }
        if (s.mapping() != null && !s.mapping().isNull() && !s.mapping().isObject()) {
            throw new IllegalArgumentException("subscription '" + s.name() + "': mapping must be an object of field -> mapping");
        }
        Subscription enabled = new Subscription(s.name(), s.trigger(), s.action(), s.mapping(), true);
        Actions.compile(new Integration("check", null, null, Integration.DEFAULT_CONSENT_CATEGORY, false, List.of(enabled)));
    }

    // ---- rules ---------------------------------------------------------------------------------

    private static List<Subscription> presets(JsonNode email) {
        List<Subscription> out = new ArrayList<>();
        for (Subscription s : Presets.subscriptions(email == null || email.isNull() ? null : email)) {
            // a '/' cannot be addressed in .../subscriptions/{name}; an email event may hold one
            out.add(new Subscription(s.name().replace('/', '-'), s.trigger(), s.action(), s.mapping(), s.enabled()));
        }
        return out;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required: a unique name for the integration, e.g. sendgrid-prod");
        }
        String n = name.trim();
        if (n.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name is " + n.length() + " characters; at most " + MAX_NAME_LENGTH);
        }
        return n;
    }

    private static void checkSubscriptionName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a subscription needs a name, e.g. \"Identify to contact\"");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("subscription name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters; at most " + MAX_NAME_LENGTH);
        }
        if (name.indexOf('/') >= 0 || !name.equals(name.trim())) {
            throw new IllegalArgumentException("subscription name '" + name + "' must not contain '/' nor start or end with a space");
        }
    }

    private static void checkUnique(List<Subscription> subs) {
        List<String> seen = new ArrayList<>();
        for (Subscription s : subs) {
            if (seen.contains(s.name())) {
                throw new IllegalArgumentException("two subscriptions are named '" + s.name() + "'; names must be unique");
            }
            seen.add(s.name());
        }
    }

    static void checkDeliveryMode(String mode) {
        if (!SERVER_SIDE.equals(mode)) {
            throw new IllegalArgumentException("delivery_mode '" + mode + "' is not supported: gridsync delivers to SendGrid "
                    + "from the server only; use \"server_side\" (or leave it out)");
        }
    }

    /** {@code global}, {@code eu} or an http(s) URL; returned normalized. */
    static String checkEndpoint(String endpoint) {
        String e = endpoint.trim();
        if (e.equalsIgnoreCase("global") || e.equalsIgnoreCase("eu")) {
            return e.toLowerCase(Locale.ROOT);
        }
        try {
            java.net.URI uri = SendGridClient.resolveBaseUrl(e);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme " + uri.getScheme());
            }
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("endpoint '" + e + "' is not usable: write global, eu or an http(s) URL such "
                    + "as http://127.0.0.1:3030 (the emulator)");
        }
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    private static String checkConsent(String category) {
        if (category.isBlank()) {
            throw new IllegalArgumentException("consent_category must not be empty; the default is "
                    + Integration.DEFAULT_CONSENT_CATEGORY);
        }
        return category.trim();
    }

    private static IntegrationConflictException nameTaken(String name) {
        return new IntegrationConflictException("an integration named '" + name + "' already exists; choose another name "
                + "or change that one with PATCH /v1/admin/integrations/{id}");
    }

    /** Unique-key violations on both databases (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT). */
    static boolean isUniqueViolation(SQLException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return "23505".equals(e.getSQLState()) || msg.contains("UNIQUE constraint failed")
                || msg.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || msg.contains("SQLITE_CONSTRAINT_UNIQUE");
    }

    // ---- rows ----------------------------------------------------------------------------------

    private StoredIntegration row(ResultSet rs) throws SQLException {
        String masked;
        try {
            masked = new ApiKey(box.unseal(rs.getString("api_key_sealed"))).masked();
        } catch (SealedSecretException | IllegalArgumentException e) {
            masked = "(unreadable: sealed with another master key)";
        }
        String email = rs.getString("email_preset");
        return new StoredIntegration(rs.getString("id"), rs.getString("name"), rs.getString("variant"),
                rs.getString("delivery_mode"), rs.getString("endpoint"), masked, rs.getString("default_list_id"),
                rs.getString("consent_category"), rs.getInt("create_missing_fields") != 0, email == null ? null : parse(email),
                rs.getInt("enabled") != 0, Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static Subscription subscriptionRow(ResultSet rs) throws SQLException {
        String mapping = rs.getString("mapping");
        return new Subscription(rs.getString("name"), rs.getString("trigger_expr"), rs.getString("action"),
                mapping == null ? null : parse(mapping), rs.getInt("enabled") != 0);
    }

    private static void insertSubscription(Connection c, String integrationId, Subscription s, int position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (integration_id, name, trigger_expr, action, "
                + "mapping, enabled, position) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, integrationId);
            ps.setString(2, s.name());
            ps.setString(3, s.trigger());
            ps.setString(4, s.action());
            setNullable(ps, 5, s.mapping() == null || s.mapping().isNull() ? null : json(s.mapping()));
            ps.setInt(6, s.enabled() ? 1 : 0);
            ps.setInt(7, position);
            ps.executeUpdate();
        }
    }

    private static Optional<Subscription> findSubscription(Connection c, String integrationId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM subscriptions WHERE integration_id = ? AND name = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(subscriptionRow(rs)) : Optional.empty();
            }
        }
    }

    private static String findIdByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM integrations WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Optional<String> nameOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM integrations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        return nameOf(c, id).isPresent();
    }

    private static void requireIntegration(Connection c, String id) throws SQLException {
        if (!exists(c, id)) {
            throw new NoSuchElementException("no integration with id " + id);
        }
    }

    private static void touch(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE integrations SET updated_at = ? WHERE id = ?")) {
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String json(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage());
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---- JDBC plumbing -------------------------------------------------------------------------

    private <T> T query(Database.Work<T> work) {
        return db.query(work);
    }

    private <T> T inTransaction(Database.Work<T> work) {
        return db.inTransaction(work);
    }
}
