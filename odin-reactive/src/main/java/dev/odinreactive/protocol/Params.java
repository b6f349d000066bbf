package dev.odinreactive.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validating reader over decoded {@code params} (or any decoded map). Every getter
 * throws {@link ProtocolException} with {@link ErrorCode#INVALID_PARAMS} naming the key when a
 * value is missing, of the wrong type or out of range. Stateless apart from the wrapped map.
 *
 * <pre>{@code
 * Params p = Params.strict(request.params(), "user_data");   // unknown keys -> invalid_params
 * byte[] userData = p.bytes("user_data");
 * }</pre>
 */
public final class Params {

    private final Map<String, Object> map;

    private Params(Map<String, Object> map) {
        this.map = Objects.requireNonNull(map, "map");
    }

    /**
     * A reader that first checks that {@code map} has no keys besides {@code allowed}.
     *
     * @throws ProtocolException {@code invalid_params} naming the unknown keys
     */
    public static Params strict(Map<String, Object> map, String... allowed) {
        Set<String> ok = Set.of(allowed);
        Set<String> unknown = null;
        for (String key : map.keySet()) {
            if (!ok.contains(key)) {
                if (unknown == null) {
                    unknown = new TreeSet<>();
                }
                unknown.add(key);
            }
        }
        if (unknown != null) {
            throw invalid("unknown key(s) " + unknown + "; allowed: " + new TreeSet<>(ok));
        }
        return new Params(map);
    }

    /** A reader that ignores keys it is not asked about. */
    public static Params lenient(Map<String, Object> map) {
        return new Params(map);
    }

    /** True when the key is present with a non-nil value. */
    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** A required string. */
    public String string(String key) {
        return as(key, required(key), String.class, "a string");
    }

    /** An optional string. */
    public String optString(String key, String dflt) {
        Object v = map.get(key);
        return v == null ? dflt : as(key, v, String.class, "a string");
    }

    /** A required {@code bin}. */
    public byte[] bytes(String key) {
        return as(key, required(key), byte[].class, "binary (msgpack bin)");
    }

    /** An optional {@code bin}. */
    public byte[] optBytes(String key, byte[] dflt) {
        Object v = map.get(key);
        return v == null ? dflt : as(key, v, byte[].class, "binary (msgpack bin)");
    }

    /** A required boolean. */
    public boolean bool(String key) {
        return as(key, required(key), Boolean.class, "a boolean");
    }

    /** An optional boolean. */
    public boolean optBool(String key, boolean dflt) {
        Object v = map.get(key);
        return v == null ? dflt : as(key, v, Boolean.class, "a boolean");
    }

    /** A required unsigned 64-bit integer (values up to {@link Long#MAX_VALUE}). */
    public long u64(String key) {
        long v = as(key, required(key), Long.class, "an integer");
        if (v < 0) {
            throw invalid(key + " must be >= 0");
        }
        return v;
    }

    /** A required integer in {@code [min, max]}. */
    public long integer(String key, long min, long max) {
        long v = as(key, required(key), Long.class, "an integer");
        if (v < min || v > max) {
            throw invalid(key + " must be in [" + min + ", " + max + "]: " + v);
        }
        return v;
    }

    /** A required u16 (media ids). */
    public int u16(String key) {
        return (int) integer(key, 0, 0xFFFF);
    }

    /** An optional non-negative int. */
    public int optInt(String key, int dflt) {
        Object v = map.get(key);
        return v == null ? dflt : (int) integer(key, 0, Integer.MAX_VALUE);
    }

    /** A required finite number (integer or float on the wire). */
    public double number(String key) {
        return toFinite(key, required(key));
    }

    /** A required {@code [x, y, z]}: exactly three finite numbers (ints or floats). */
    public double[] position(String key) {
        List<?> list = as(key, required(key), List.class, "an array [x, y, z]");
        if (list.size() != 3) {
            throw invalid(key + " must have exactly 3 coordinates, has " + list.size());
        }
        double[] xyz = new double[3];
        for (int i = 0; i < 3; i++) {
            xyz[i] = toFinite(key + "[" + i + "]", list.get(i));
        }
        return xyz;
    }

    /** An optional position; {@code dflt} (copied) when absent. */
    public double[] optPosition(String key, double[] dflt) {
        return has(key) ? position(key) : Arrays.copyOf(dflt, 3);
    }

    /** An optional array of u64; null when absent. */
    public long[] optU64Array(String key, int maxEntries) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        List<?> list = as(key, v, List.class, "an array of integers");
        if (list.size() > maxEntries) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, key + " has " + list.size() + " entries, limit " + maxEntries);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (!(e instanceof Long l) || l < 0) {
                throw invalid(key + "[" + i + "] must be a non-negative integer");
            }
            out[i] = l;
        }
        return out;
    }

    /** A required map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        return as(key, required(key), Map.class, "a map");
    }

    /** An optional map; {@code dflt} when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> optMap(String key, Map<String, Object> dflt) {
        Object v = map.get(key);
        return v == null ? dflt : as(key, v, Map.class, "a map");
    }

    /** A required array. */
    public List<?> list(String key) {
        return as(key, required(key), List.class, "an array");
    }

    private Object required(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw invalid("missing " + key);
        }
        return v;
    }

    private static double toFinite(String key, Object v) {
        double d;
        if (v instanceof Long l) {
            d = l;
        } else if (v instanceof Double x) {
            d = x;
        } else {
            throw invalid(key + " must be a number");
        }
        if (!Double.isFinite(d)) {
            throw invalid(key + " must be finite");
        }
        return d;
    }

    private static <T> T as(String key, Object v, Class<T> type, String what) {
        if (!type.isInstance(v)) {
            throw invalid(key + " must be " + what);
        }
        return type.cast(v);
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_PARAMS, message);
    }
}
