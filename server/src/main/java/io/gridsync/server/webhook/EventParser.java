package io.gridsync.server.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.gridsync.server.warehouse.ColumnType;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a webhook body (a JSON array of SendGrid events) straight into warehouse rows, in one pass
 * of a streaming parser: each documented field into its column (converted to the column's type),
 * every other top-level key into {@code custom_args}. A documented field whose value does not fit
 * its column, or that the event's table has no column for, is kept in {@code custom_args} too, so
 * nothing SendGrid sent is lost. Items that are not events go to quarantine with the reason.
 */
final class EventParser {

    /** Items in one post; SendGrid batches are far smaller (docs/capture.md). More: the post is refused (400, one quarantine row). */
    static final int MAX_ITEMS = 10_000;
    /** Items of one post kept one by one in quarantine; more: the post is refused whole, as one row. */
    static final int MAX_QUARANTINED_ITEMS = 100;
    /** Bytes of a refused body kept in its quarantine row. */
    static final int QUARANTINE_SAMPLE_BYTES = 64 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    private static final Object INVALID = new Object();
    private static final List<WarehouseColumn> UNION = EventTables.union();
    private static final Map<String, Integer> FIELDS = new HashMap<>();
    private static final int EVENT = indexOf("event");
    private static final int SG_EVENT_ID = indexOf("sg_event_id");
    private static final int CATEGORY = indexOf("category");
    private static final int COMMON = EventTables.COMMON.size();
    /** Per type: table column -> union index (the two trailing columns excluded). */
    private static final Map<EventType, int[]> PROJECTION = new EnumMap<>(EventType.class);
    /** Per type: whether a union field has a column in the type's table. */
    private static final Map<EventType, boolean[]> IN_TABLE = new EnumMap<>(EventType.class);

    static {
        for (int i = 0; i < UNION.size(); i++) {
            FIELDS.put(UNION.get(i).name(), i);
        }
        FIELDS.put("smtp-id", FIELDS.get("smtp_id")); // SendGrid's spelling; the column cannot have a hyphen
        for (EventType t : EventType.values()) {
            WarehouseTable table = EventTables.table(t);
            int[] projection = new int[table.width() - EventTables.TRAILING.size()];
            boolean[] in = new boolean[UNION.size()];
            for (int i = 0; i < projection.length; i++) {
                projection[i] = FIELDS.get(table.columns().get(i).name());
                in[projection[i]] = true;
            }
            PROJECTION.put(t, projection);
            IN_TABLE.put(t, in);
        }
    }

    private static int indexOf(String field) {
        for (int i = 0; i < UNION.size(); i++) {
            if (UNION.get(i).name().equals(field)) {
                return i;
            }
        }
        throw new IllegalStateException(field);
    }

    /**
     * @param verified whether the body's signature was checked (recorded with quarantined items)
     * @throws MalformedBody when the body is not a JSON array
     */
    ParsedPost parse(byte[] body, Instant receivedAt, String source, boolean verified) throws MalformedBody {
        EnumMap<EventType, List<Object[]>> rows = new EnumMap<>(EventType.class);
        List<Object[]> quarantine = new ArrayList<>(0);
        int items = 0;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedBody("the body is empty; SendGrid posts a JSON array of events");
            }
            if (t != JsonToken.START_ARRAY) {
                throw new MalformedBody("the body is not a JSON array of events (it starts with " + describe(t) + ")");
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedBody("the body ends before the array is closed");
                }
                if (items == MAX_ITEMS) {
                    throw new MalformedBody("the array has more than " + MAX_ITEMS + " items; SendGrid's posts have far fewer, "
                            + "send at most " + MAX_ITEMS + " events per post");
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (t == JsonToken.START_OBJECT) {
                    Object event = event(p, body, start, receivedAt, source, verified, items);
                    if (event instanceof Object[] q) {
                        quarantine(quarantine, q);
                    } else {
                        Event e = (Event) event;
                        rows.computeIfAbsent(e.type, k -> new ArrayList<>()).add(e.row);
                    }
                } else {
                    String raw = rawValue(p, t, body, start);
                    quarantine(quarantine, quarantineRow(receivedAt, source, "item " + items + " is " + describe(t) + ", not an event object",
                            verified, raw));
                }
                items++;
            }
            if (p.nextToken() != null) {
                throw new MalformedBody("the body has more data after the array of events");
            }
            if (rows.isEmpty() && !quarantine.isEmpty()) {
                // nothing in it is an event: one row for the post, not one per item
                throw new MalformedBody("none of the " + items + " items is an event (" + quarantine.get(0)[3]
                        + "); SendGrid posts an array of event objects");
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new MalformedBody("the body is not valid JSON" + (loc == null ? "" : " (line " + loc.getLineNr() + ", column "
                    + loc.getColumnNr() + ")") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedBody("the body could not be read: " + e.getMessage());
        }
        return new ParsedPost(rows, quarantine, items);
    }

    /** Keeps a quarantined item, unless the post already has {@link #MAX_QUARANTINED_ITEMS}: then the post is malformed as a whole. */
    private static void quarantine(List<Object[]> quarantine, Object[] row) throws MalformedBody {
        if (quarantine.size() == MAX_QUARANTINED_ITEMS) {
            throw new MalformedBody("more than " + MAX_QUARANTINED_ITEMS + " items are not events (" + quarantine.get(0)[3]
                    + "); SendGrid posts an array of event objects");
        }
        quarantine.add(row);
    }

    /** The body as quarantined text: whole up to {@link #QUARANTINE_SAMPLE_BYTES}, else its start and its size. */
    static String sample(byte[] body) {
        if (body.length <= QUARANTINE_SAMPLE_BYTES) {
            return new String(body, StandardCharsets.UTF_8);
        }
        return new String(body, 0, QUARANTINE_SAMPLE_BYTES, StandardCharsets.UTF_8) + "... (" + body.length
                + " bytes in all; only the first " + QUARANTINE_SAMPLE_BYTES + " are kept)";
    }

    private record Event(EventType type, Object[] row) {}

    /** An {@link Event}, or a quarantine row when the object is not an event. */
    private Object event(JsonParser p, byte[] body, int start, Instant receivedAt, String source, boolean verified, int item)
            throws IOException {
        Object[] values = new Object[UNION.size()];
        boolean[] present = new boolean[UNION.size()];
        Map<String, String> custom = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Integer i = FIELDS.get(name);
            if (i != null) {
                // where the value starts matters only for objects and arrays, kept as the raw JSON text
                int vs = v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY ? (int) p.currentTokenLocation().getByteOffset() : -1;
                Object value = coerce(p, v, UNION.get(i).type(), i, body, vs);
                if (value == INVALID) {
                    custom = put(custom, name, rawValue(p, v, body, vs), true);
                    values[i] = null;
                    present[i] = false;
                    continue;
                }
                values[i] = value;
                present[i] = true;
            } else if (name.equals("unique_args") && v == JsonToken.START_OBJECT) {
                // the legacy nesting of custom arguments: its members are custom arguments
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String arg = p.currentName();
                    JsonToken av = p.nextToken();
                    custom = put(custom, arg, rawValue(p, av, body, (int) p.currentTokenLocation().getByteOffset()), false);
                }
            } else {
                custom = put(custom, name, rawValue(p, v, body, (int) p.currentTokenLocation().getByteOffset()), true);
            }
        }
        int end = (int) p.currentLocation().getByteOffset();
        Object eventName = values[EVENT];
        if (!(eventName instanceof String name) || name.isEmpty()) {
            return quarantineRow(receivedAt, source, "item " + item + " has no \"event\" name", verified,
                    new String(body, start, end - start, StandardCharsets.UTF_8));
        }
        if (values[SG_EVENT_ID] == null) {
            // SendGrid always sends one; without it, the same bytes posted again must still be one event
            values[SG_EVENT_ID] = "gridsync-" + sha256(body, start, end - start);
        }
        EventType type = EventType.of(name);
        int[] projection = PROJECTION.get(type);
        boolean[] in = IN_TABLE.get(type);
        for (int i = COMMON; i < values.length; i++) {
            if (present[i] && !in[i]) {
                // a documented field this type's table has no column for (an ip on a processed event): kept, as JSON
                custom = put(custom, UNION.get(i).name(), json(values[i], UNION.get(i).type()), true);
            }
        }
        Object[] row = new Object[projection.length + 2];
        for (int c = 0; c < projection.length; c++) {
            row[c] = values[projection[c]];
        }
        row[projection.length] = custom == null ? null : customArgs(custom);
        row[projection.length + 1] = receivedAt;
        return new Event(type, row);
    }

    private static Map<String, String> put(Map<String, String> custom, String key, String raw, boolean wins) {
        Map<String, String> m = custom == null ? new LinkedHashMap<>() : custom;
        if (wins) {
            m.put(key, raw);
        } else {
            m.putIfAbsent(key, raw);
        }
        return m;
    }

    private static String customArgs(Map<String, String> custom) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : custom.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(e.getKey())).append("\":").append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** The value as the column's type, or INVALID when it does not fit (it is then kept in custom_args). */
    private static Object coerce(JsonParser p, JsonToken v, ColumnType type, int field, byte[] body, int start) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        switch (type) {
            case TEXT:
                return switch (v) {
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                    case VALUE_TRUE -> "true";
                    case VALUE_FALSE -> "false";
                    default -> rawValue(p, v, body, start);
                };
            case BIGINT:
                if (v == JsonToken.VALUE_NUMBER_INT) {
                    return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? INVALID : p.getLongValue();
                }
                if (v == JsonToken.VALUE_STRING) {
                    return integer(p.getText());
                }
                if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                    double d = p.getDoubleValue();
                    return d == Math.rint(d) && Math.abs(d) < 9e15 ? (Object) (long) d : INVALID;
                }
                skip(p, v);
                return INVALID;
            case BOOLEAN:
                return switch (v) {
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NUMBER_INT -> p.getText().equals("1") ? Boolean.TRUE : p.getText().equals("0") ? Boolean.FALSE : INVALID;
                    case VALUE_STRING -> switch (p.getText()) {
                        case "true", "1" -> Boolean.TRUE;
                        case "false", "0" -> Boolean.FALSE;
                        default -> INVALID;
                    };
                    default -> {
                        skip(p, v);
                        yield INVALID;
                    }
                };
            case TIMESTAMP:
                if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return seconds(p.getLongValue());
                }
                if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                    double d = p.getDoubleValue();
                    return Math.abs(d) < 1e13 ? Instant.ofEpochMilli(Math.round(d * 1000)) : INVALID;
                }
                if (v == JsonToken.VALUE_STRING) {
                    Object n = integer(p.getText());
                    if (n instanceof Long l) {
                        return seconds(l);
                    }
                    try {
                        return Instant.parse(p.getText());
                    } catch (RuntimeException e) {
                        return INVALID;
                    }
                }
                skip(p, v);
                return INVALID;
            case JSON:
                if (field == CATEGORY && v == JsonToken.VALUE_STRING) {
                    return "[" + rawValue(p, v, body, start) + "]"; // one category or several: always an array
                }
                return rawValue(p, v, body, start);
            default:
                return rawValue(p, v, body, start);
        }
    }

    private static Object seconds(long s) {
        return Math.abs(s) < 100_000_000_000L ? Instant.ofEpochSecond(s) : INVALID;
    }

    private static Object integer(String s) {
        int n = s.length();
        if (n == 0 || n > 18) {
            return INVALID;
        }
        for (int i = s.charAt(0) == '-' && n > 1 ? 1 : 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
        }
        return Long.parseLong(s);
    }

    private static void skip(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
    }

    /** The value's JSON text: objects and arrays as sent, scalars re-encoded. Leaves the parser after the value. */
    private static String rawValue(JsonParser p, JsonToken v, byte[] body, int start) throws IOException {
        return switch (v) {
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                yield new String(body, start, end - start, StandardCharsets.UTF_8);
            }
            case VALUE_STRING -> "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(p.getText())) + "\"";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> p.getText();
        };
    }

    /** A converted value back as JSON, for custom_args. */
    private static String json(Object value, ColumnType type) {
        if (value == null) {
            return "null";
        }
        if (type == ColumnType.JSON) {
            return (String) value;
        }
        if (value instanceof String s) {
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
        }
        return value.toString();
    }

    static Object[] quarantineRow(Instant receivedAt, String source, String reason, boolean verified, String body) {
        return new Object[]{UUID.randomUUID().toString(), receivedAt, source, reason, verified, body};
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String sha256(byte[] body, int start, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(body, start, length);
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
