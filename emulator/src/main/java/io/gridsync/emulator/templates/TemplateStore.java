package io.gridsync.emulator.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The account's transactional templates and their versions. SendGrid allows 300 templates and
 * 300 versions across all templates per account. Other parts of the emulator (mail send) look
 * templates up with {@link #exists} and {@link #activeVersion}.
 */
public final class TemplateStore implements Persistable {

    public static final int MAX_TEMPLATES = 300;
    public static final int MAX_VERSIONS = 300;

    private final Map<String, Template> byId = new LinkedHashMap<>();
    private long nextSeq = 1;

    public synchronized boolean exists(String templateId) {
        return byId.containsKey(templateId);
    }

    public synchronized Optional<Template> byId(String templateId) {
        return Optional.ofNullable(byId.get(templateId));
    }

    /** The active version of a template (its subject, HTML and text); empty when there is none. */
    public synchronized Optional<TemplateVersion> activeVersion(String templateId) {
        Template t = byId.get(templateId);
        return t == null ? Optional.empty() : t.versions().stream().filter(TemplateVersion::active).findFirst();
    }

    public synchronized Optional<TemplateVersion> version(String templateId, String versionId) {
        Template t = byId.get(templateId);
        return t == null ? Optional.empty() : t.versions().stream().filter(v -> v.id().equals(versionId)).findFirst();
    }

    /** Adds a template of the generation; a full account is a 400. */
    public synchronized Template create(String name, String generation) {
        if (byId.size() >= MAX_TEMPLATES) {
            throw ApiError.badRequest("name", "the account already has " + MAX_TEMPLATES
                    + " templates, the most SendGrid allows; delete a template before creating another");
        }
        String id = Template.DYNAMIC.equals(generation) ? "d-" + Ids.uuid().replace("-", "") : Ids.uuid();
        Template t = new Template(id, name, generation, now(), List.of(), nextSeq++);
        byId.put(id, t);
        return t;
    }

    public synchronized Page<Template> page(Set<String> generations, PageRequest request) {
        List<Template> matching = byId.values().stream().filter(t -> generations.contains(t.generation())).toList();
        return Page.of(matching, Template::seq, request);
    }

    public synchronized Optional<Template> rename(String templateId, String name) {
        Template t = byId.get(templateId);
        if (t == null) {
            return Optional.empty();
        }
        Template renamed = new Template(t.id(), name, t.generation(), now(), t.versions(), t.seq());
        byId.put(t.id(), renamed);
        return Optional.of(renamed);
    }

    public synchronized boolean delete(String templateId) {
        return byId.remove(templateId) != null;
    }

    /**
     * Adds a version to a template; the first version of a template is active whatever was asked,
     * and an active new version deactivates the others. Empty when there is no such template;
     * a full account (300 versions) is a 400.
     */
    public synchronized Optional<TemplateVersion> addVersion(String templateId, String name, String subject,
                                                             String html, String plain, boolean generatePlain,
                                                             String editor, String testData, boolean active) {
        Template t = byId.get(templateId);
        if (t == null) {
            return Optional.empty();
        }
        int versions = byId.values().stream().mapToInt(x -> x.versions().size()).sum();
        if (versions >= MAX_VERSIONS) {
            throw ApiError.badRequest("name", "the account already has " + MAX_VERSIONS
                    + " template versions, the most SendGrid allows across all templates; delete a version first");
        }
        Instant now = now();
        boolean makeActive = active || t.versions().isEmpty();
        TemplateVersion v = new TemplateVersion(Ids.uuid(), templateId, makeActive, name, subject, html, plain,
                generatePlain, editor, testData, now);
        List<TemplateVersion> all = new ArrayList<>();
        for (TemplateVersion old : t.versions()) {
            all.add(makeActive ? old.withActive(false, now) : old);
        }
        all.add(v);
        byId.put(templateId, new Template(t.id(), t.name(), t.generation(), now, all, t.seq()));
        return Optional.of(v);
    }

    /** Makes one version the template's only active one; empty when template or version is unknown. */
    public synchronized Optional<TemplateVersion> activate(String templateId, String versionId) {
        Template t = byId.get(templateId);
        if (t == null || t.versions().stream().noneMatch(v -> v.id().equals(versionId))) {
            return Optional.empty();
        }
        Instant now = now();
        List<TemplateVersion> all = new ArrayList<>();
        TemplateVersion activated = null;
        for (TemplateVersion v : t.versions()) {
            TemplateVersion changed = v.withActive(v.id().equals(versionId), now);
            all.add(changed);
            if (changed.active()) {
                activated = changed;
            }
        }
        byId.put(templateId, new Template(t.id(), t.name(), t.generation(), now, all, t.seq()));
        return Optional.ofNullable(activated);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public String stateKey() {
        return "templates";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        root.put("next_seq", nextSeq);
        ArrayNode templates = root.putArray("templates");
        for (Template t : byId.values()) {
            ObjectNode o = templates.addObject();
            o.put("id", t.id());
            o.put("name", t.name());
            o.put("generation", t.generation());
            o.put("updated_at", t.updatedAt().toString());
            o.put("seq", t.seq());
            ArrayNode versions = o.putArray("versions");
            for (TemplateVersion v : t.versions()) {
                ObjectNode vo = versions.addObject();
                vo.put("id", v.id());
                vo.put("active", v.active());
                vo.put("name", v.name());
                vo.put("subject", v.subject());
                vo.put("html_content", v.htmlContent());
                vo.put("plain_content", v.plainContent());
                vo.put("generate_plain_content", v.generatePlainContent());
                vo.put("editor", v.editor());
                vo.put("test_data", v.testData());
                vo.put("updated_at", v.updatedAt().toString());
            }
        }
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        byId.clear();
        long maxSeq = 0;
        for (JsonNode o : node.path("templates")) {
            String id = o.get("id").asText();
            List<TemplateVersion> versions = new ArrayList<>();
            for (JsonNode v : o.path("versions")) {
                versions.add(new TemplateVersion(v.get("id").asText(), id, v.get("active").asBoolean(),
                        v.get("name").asText(), v.get("subject").asText(), text(v, "html_content"), text(v, "plain_content"),
                        v.path("generate_plain_content").asBoolean(true), text(v, "editor"), text(v, "test_data"),
                        Instant.parse(v.get("updated_at").asText())));
            }
            Template t = new Template(id, o.get("name").asText(), o.get("generation").asText(),
                    Instant.parse(o.get("updated_at").asText()), versions, o.get("seq").asLong());
            byId.put(id, t);
            maxSeq = Math.max(maxSeq, t.seq());
        }
        nextSeq = Math.max(node.path("next_seq").asLong(1), maxSeq + 1);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextSeq = 1;
    }
}
