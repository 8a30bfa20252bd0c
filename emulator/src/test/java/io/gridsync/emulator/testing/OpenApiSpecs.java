package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * SendGrid's own OpenAPI 3.1 files (vendored in {@code third_party/sendgrid-api}), loaded once, with a JSON Schema
 * validator (networknt, draft 2020-12) for the request body and the response body of each operation.
 * OpenAPI 3.0's {@code nullable: true}, which SendGrid's files still use, is rewritten to a
 * {@code ["type", "null"]} union first, because 2020-12 ignores the keyword.
 */
public final class OpenApiSpecs {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile OpenApiSpecs instance;

    /** One operation of one spec file. */
    public record Operation(String file, String method, String template, Pattern pattern, JsonNode node) {}

    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Path> normalizedFiles = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();

    public static Path specDir() {
        String dir = System.getProperty("sendgrid.api.dir");
        // Maven passes the vendored folder; an IDE running a test from the module folder finds it one level up.
        Path p = dir != null ? Path.of(dir) : Path.of("../third_party/sendgrid-api");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("SendGrid OpenAPI files not found at " + p.toAbsolutePath().normalize()
                    + "; they are vendored in third_party/sendgrid-api of the checkout (or set -Dsendgrid.api.dir=...)");
        }
        return p.toAbsolutePath().normalize();
    }

    public static OpenApiSpecs get() {
        if (instance == null) {
            synchronized (OpenApiSpecs.class) {
                if (instance == null) {
                    instance = new OpenApiSpecs(specDir());
                }
            }
        }
        return instance;
    }

    private OpenApiSpecs(Path dir) {
        try {
            Path tmp = Files.createTempDirectory("sendgrid-openapi");
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_v3.json")).sorted().toList()) {
                    JsonNode doc = MAPPER.readTree(f.toFile());
                    normalizeNullable(doc);
                    SpecDepartures.patch(f.getFileName().toString(), doc);
                    Path out = tmp.resolve(f.getFileName());
                    MAPPER.writeValue(out.toFile(), doc);
                    normalizedFiles.put(f.getFileName().toString(), out);
                    doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
                        if (Set.of("get", "put", "post", "patch", "delete").contains(m.getKey())) {
                            operations.add(new Operation(f.getFileName().toString(), m.getKey().toUpperCase(), p.getKey(),
                                    templatePattern(p.getKey()), m.getValue()));
                        }
                    }));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Pattern templatePattern(String template) {
        return Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
    }

    /** The operation for a concrete method and path, preferring literal segments over templates. */
    public Operation find(String method, String path) {
        Operation best = null;
        for (Operation op : operations) {
            if (op.method().equals(method) && op.pattern().matcher(path).matches()) {
                if (best == null || op.template().indexOf('{') < 0
                        || op.template().chars().filter(c -> c == '{').count() < best.template().chars().filter(c -> c == '{').count()) {
                    best = op;
                }
            }
        }
        return best;
    }

    /** Violations of the operation's request-body schema (empty when the body conforms or none is specified). */
    public List<String> validateRequest(Operation op, JsonNode body) {
        JsonNode content = op.node().path("requestBody").path("content").path("application/json");
        if (content.isMissingNode() || !content.has("schema")) {
            return List.of();
        }
        String pointer = pointer(op) + "/requestBody/content/application~1json/schema";
        return validate(op.file(), pointer, body);
    }

    /**
     * Violations of the response schema for the status; a status the spec does not document is
     * itself reported, except 429 and 5xx, which every SendGrid endpoint may answer.
     */
    public List<String> validateResponse(Operation op, int status, JsonNode body) {
        JsonNode responses = op.node().path("responses");
        String key = Integer.toString(status);
        JsonNode response = responses.get(key);
        if (response == null) {
            response = responses.get("default");
            key = "default";
        }
        if (response == null) {
            if (status == 429 || status >= 500) {
                return List.of();
            }
            return List.of(op.method() + " " + op.template() + ": status " + status + " is not documented in " + op.file());
        }
        String pointer = pointer(op) + "/responses/" + key;
        JsonNode resolved = response;
        if (response.has("$ref")) {
            String ref = response.get("$ref").asText();
            pointer = ref.substring(1);
            resolved = resolveLocal(op.file(), pointer);
        }
        JsonNode content = resolved.path("content").path("application/json");
        if (content.isMissingNode() || !content.has("schema") || body == null) {
            return List.of();
        }
        return validate(op.file(), pointer + "/content/application~1json/schema", body);
    }

    /**
     * Violations of one of a file's {@code components/schemas}, for parts of a response whose
     * enclosing schema in the file is known to be wrong (see {@link SpecDepartures}).
     */
    public List<String> validateComponent(String file, String schemaName, JsonNode node) {
        if (!normalizedFiles.containsKey(file)) {
            throw new IllegalArgumentException("no OpenAPI file " + file);
        }
        return validate(file, "/components/schemas/" + schemaName, node);
    }

    private JsonNode resolveLocal(String file, String pointer) {
        try {
            return MAPPER.readTree(normalizedFiles.get(file).toFile()).at(pointer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pointer(Operation op) {
        return "/paths/" + op.template().replace("~", "~0").replace("/", "~1") + "/" + op.method().toLowerCase();
    }

    private List<String> validate(String file, String pointer, JsonNode body) {
        JsonSchema schema = schemas.computeIfAbsent(file + "#" + pointer, k -> factory.getSchema(
                SchemaLocation.of(normalizedFiles.get(file).toUri() + "#" + pointer), config));
        Set<ValidationMessage> messages = schema.validate(body);
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : messages) {
            out.add(file + pointer + ": " + m.getMessage());
        }
        return out;
    }

    /** Rewrites OpenAPI 3.0 {@code nullable: true} into a 2020-12 type union, in place. */
    static void normalizeNullable(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.path("nullable").asBoolean(false)) {
                JsonNode type = o.get("type");
                if (type != null && type.isTextual()) {
                    ArrayNode union = o.putArray("type");
                    union.add(type.asText());
                    union.add("null");
                } else if (type == null && o.has("$ref")) {
                    JsonNode ref = o.remove("$ref");
                    ArrayNode anyOf = o.putArray("anyOf");
                    anyOf.addObject().set("$ref", ref);
                    anyOf.addObject().put("type", "null");
                }
                o.remove("nullable");
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                normalizeNullable(it.next());
            }
        } else if (node.isArray()) {
            node.forEach(OpenApiSpecs::normalizeNullable);
        }
    }
}
