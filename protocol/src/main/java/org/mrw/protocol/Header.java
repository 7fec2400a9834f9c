package org.mrw.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frame's JSON header: an object of named fields, with typed getters that fail with a
 * {@link ProtocolException} naming the field when it is missing or of the wrong type.
 */
public final class Header {

    /** The empty header {@code {}} (a header length of 0 on the wire also reads as this). */
    public static final Header EMPTY = new Header(Collections.<String, Object>emptyMap());

    private final Map<String, Object> fields;

    private Header(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Wraps parsed JSON; fails unless it is an object. */
    static Header of(Object json) throws ProtocolException {
        if (!(json instanceof Map)) {
            throw new ProtocolException("a frame header must be a JSON object, not " + jsonKind(json));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return new Header(map);
    }

    private static String jsonKind(Object json) {
        if (json == null) {
            return "null";
        }
        return json instanceof List ? "an array" : json instanceof String ? "a string" : json instanceof Boolean ? "a boolean" : "a number";
    }

    /** A builder for a new header. */
    public static Builder builder() {
        return new Builder();
    }

    /** The fields, unmodifiable, in order. */
    public Map<String, Object> fields() {
        return fields;
    }

    public boolean has(String name) {
        return fields.containsKey(name) && fields.get(name) != null;
    }

    /** The raw value, or null. */
    public Object get(String name) {
        return fields.get(name);
    }

    public String string(String name) throws ProtocolException {
        return require(name, String.class, "a string");
    }

    /** The string, or {@code fallback} when absent or null. */
    public String string(String name, String fallback) throws ProtocolException {
        return has(name) ? string(name) : fallback;
    }

    public long longValue(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double && ((Double) v) == Math.rint((Double) v) && Math.abs((Double) v) < 9.0e15) {
            return ((Double) v).longValue();
        }
        throw wrong(name, v, "an integer");
    }

    /** The long, or {@code fallback} when absent or null. */
    public long longValue(String name, long fallback) throws ProtocolException {
        return has(name) ? longValue(name) : fallback;
    }

    public int intValue(String name) throws ProtocolException {
        long v = longValue(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ProtocolException("header field '" + name + "' = " + v + " does not fit a 32-bit integer");
        }
        return (int) v;
    }

    /** The int, or {@code fallback} when absent or null. */
    public int intValue(String name, int fallback) throws ProtocolException {
        return has(name) ? intValue(name) : fallback;
    }

    public double doubleValue(String name) throws ProtocolException {
        return require(name, Number.class, "a number").doubleValue();
    }

    public boolean bool(String name) throws ProtocolException {
        return require(name, Boolean.class, "true or false");
    }

    /** The boolean, or {@code fallback} when absent or null. */
    public boolean bool(String name, boolean fallback) throws ProtocolException {
        return has(name) ? bool(name) : fallback;
    }

    /** An array of integers that each fit 32 bits. */
    public int[] intArray(String name) throws ProtocolException {
        List<?> list = require(name, List.class, "an array of integers");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < Integer.MIN_VALUE || (Long) v > Integer.MAX_VALUE) {
                throw new ProtocolException("header field '" + name + "' element " + i + " is " + describe(v) + ", not a 32-bit integer");
            }
            out[i] = ((Long) v).intValue();
        }
        return out;
    }

    /** A nested object. */
    public Header object(String name) throws ProtocolException {
        return new Header(castMap(require(name, Map.class, "an object")));
    }

    /** An array of objects. */
    public List<Header> objects(String name) throws ProtocolException {
        List<?> list = require(name, List.class, "an array of objects");
        List<Header> out = new ArrayList<Header>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (!(v instanceof Map)) {
                throw new ProtocolException("header field '" + name + "' element " + i + " is " + describe(v) + ", not an object");
            }
            out.add(new Header(castMap(v)));
        }
        return Collections.unmodifiableList(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object v) {
        return (Map<String, Object>) v;
    }

    private <T> T require(String name, Class<T> type, String expected) throws ProtocolException {
        Object v = fields.get(name);
        if (!type.isInstance(v)) {
            throw wrong(name, v, expected);
        }
        return type.cast(v);
    }

    private ProtocolException wrong(String name, Object v, String expected) {
        if (!fields.containsKey(name)) {
            return new ProtocolException("header field '" + name + "' is missing (fields present: " + fields.keySet() + ")");
        }
        return new ProtocolException("header field '" + name + "' is " + describe(v) + ", expected " + expected);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String s = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The header as compact JSON. */
    public String toJson() {
        return Json.write(fields);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header && ((Header) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Collects fields in order; values as {@link Json#write} accepts them. */
    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<String, Object>();

        private Builder() {
        }

        public Builder put(String name, Object value) {
            if (value instanceof Header) {
                value = ((Header) value).fields;
            }
            fields.put(name, value);
            return this;
        }

        /** Puts the value only when it is not null. */
        public Builder putIfPresent(String name, Object value) {
            return value == null ? this : put(name, value);
        }

        /**
         * The header. The values are normalised through a JSON round trip, so a built header equals
         * the one the peer reads.
         */
        public Header build() {
            try {
                return of(Json.parse(Json.write(fields), Integer.MAX_VALUE));
            } catch (ProtocolException e) {
                throw new IllegalStateException("Json.write produced unreadable JSON: " + e.getMessage(), e);
            }
        }
    }
}
