package dev.odinreactive.protocol.internal;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.RpcError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * MessagePack encoding and strict decoding of control-channel {@link Frame}s
 * (docs/protocol.md §2). Stateless and thread-safe; never blocks.
 *
 * <p>Decoding rejects, with a {@link ProtocolException} ({@code protocol_error} unless noted):
 * frames larger than the given limit ({@code too_large}), anything that is not exactly one array
 * of the right arity and types, trailing bytes, non-string map keys, duplicate keys, extension
 * types, integers above {@link Long#MAX_VALUE}, invalid UTF-8, nesting deeper than
 * {@link ProtocolLimits#MAX_NESTING_DEPTH}, and declared lengths that exceed the frame (so a
 * hostile header cannot make the decoder allocate more than the frame's size).
 */
public final class MsgpackCodec {

    private static final int MAX_METHOD_CHARS = 64;

    private MsgpackCodec() {
    }

    // ------------------------------------------------------------------ encode

    /**
     * Encodes one frame.
     *
     * @throws IllegalArgumentException if a value has a type the wire does not carry
     */
    public static byte[] encode(Frame frame) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            if (frame instanceof Request r) {
                p.packArrayHeader(4).packInt(Frame.REQUEST).packLong(r.id()).packString(r.method());
                packValue(p, r.params(), 0);
            } else if (frame instanceof Response r) {
                p.packArrayHeader(4).packInt(Frame.RESPONSE).packLong(r.id());
                if (r.error() == null) {
                    p.packNil();
                } else {
                    p.packMapHeader(2).packString("code").packString(r.error().code().wireName())
                            .packString("message").packString(r.error().message());
                }
                packValue(p, r.result(), 0);
            } else if (frame instanceof Notification n) {
                p.packArrayHeader(3).packInt(Frame.NOTIFICATION).packString(n.method());
                packValue(p, n.params(), 0);
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory packing failed", e);
        }
    }

    private static void packValue(MessagePacker p, Object v, int depth) throws IOException {
        if (depth > ProtocolLimits.MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + ProtocolLimits.MAX_NESTING_DEPTH);
        }
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            p.packDouble(((Number) v).doubleValue());
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof byte[] bytes) {
            p.packBinaryHeader(bytes.length).writePayload(bytes);
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map keys must be strings: " + e.getKey());
                }
                p.packString(key);
                packValue(p, e.getValue(), depth + 1);
            }
        } else if (v instanceof Collection<?> c) {
            p.packArrayHeader(c.size());
            for (Object o : c) {
                packValue(p, o, depth + 1);
            }
        } else if (v instanceof double[] ds) {
            p.packArrayHeader(ds.length);
            for (double d : ds) {
                p.packDouble(d);
            }
        } else if (v instanceof long[] ls) {
            p.packArrayHeader(ls.length);
            for (long l : ls) {
                p.packLong(l);
            }
        } else {
            throw new IllegalArgumentException("cannot encode a " + v.getClass().getName());
        }
    }

    // ------------------------------------------------------------------ decode

    /** Decodes one frame of at most {@code maxFrameBytes} from a whole byte array. */
    public static Frame decode(byte[] bytes, int maxFrameBytes) {
        return decode(ByteBuffer.wrap(bytes), maxFrameBytes);
    }

    /**
     * Decodes one frame from the remaining bytes of {@code buffer} (its position is not moved);
     * heap and direct buffers (e.g. Netty's {@code ByteBuf.nioBuffer()}) are both fine.
     *
     * @throws ProtocolException {@code too_large} above {@code maxFrameBytes}, else
     *                           {@code protocol_error} for any malformed input
     */
    public static Frame decode(ByteBuffer buffer, int maxFrameBytes) {
        int size = buffer.remaining();
        if (size > maxFrameBytes) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "frame of " + size + " bytes exceeds max_frame_bytes " + maxFrameBytes);
        }
        if (size == 0) {
            throw malformed("empty frame");
        }
        try (MessageUnpacker u = unpacker(buffer)) {
            Reader r = new Reader(u, size);
            Frame frame = r.frame();
            if (u.hasNext()) {
                throw malformed("trailing bytes after the frame array");
            }
            return frame;
        } catch (ProtocolException e) {
            throw e;
        } catch (MessagePackException | IOException | IllegalArgumentException e) {
            throw malformed("malformed MessagePack (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Best-effort read of the request id at the start of a frame that will not be decoded
     * (e.g. because it is too large), so the error can still be answered as a response.
     *
     * @return the id, or -1 if the frame does not start like a request
     */
    public static long peekRequestId(ByteBuffer buffer) {
        ByteBuffer head = buffer.slice();
        head.limit(Math.min(head.remaining(), 16)); // [0, id, ...]: type and id fit in 16 bytes
        try (MessageUnpacker u = unpacker(head)) {
            if (u.getNextFormat() != MessageFormat.FIXARRAY || u.unpackArrayHeader() != 4) {
                return -1;
            }
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.INTEGER || u.unpackLong() != Frame.REQUEST) {
                return -1;
            }
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.INTEGER) {
                return -1;
            }
            long id = u.unpackLong();
            return id >= 0 && id <= Request.MAX_ID ? id : -1;
        } catch (MessagePackException | IOException e) {
            return -1;
        }
    }

    /**
     * An unpacker over the buffer's remaining bytes without moving its position. Direct buffers
     * (Netty's usual inbound buffers) are copied to the heap first: msgpack-core's direct-buffer
     * path needs access to JDK internals that Java 17+ denies.
     */
    private static MessageUnpacker unpacker(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return MessagePack.newDefaultUnpacker(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return MessagePack.newDefaultUnpacker(copy);
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.PROTOCOL_ERROR, message);
    }

    /** One decoding pass over one frame. */
    private static final class Reader {
        private final MessageUnpacker u;
        private final long size;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

        Reader(MessageUnpacker u, long size) {
            this.u = u;
            this.size = size;
        }

        Frame frame() throws IOException {
            if (!u.hasNext() || u.getNextFormat().getValueType() != org.msgpack.value.ValueType.ARRAY) {
                throw malformed("frame is not a MessagePack array");
            }
            int arity = u.unpackArrayHeader();
            if (arity < 3 || arity > 4) {
                throw malformed("frame array must have 3 or 4 elements, has " + arity);
            }
            long type = integer("type");
            if (type == Frame.REQUEST && arity == 4) {
                long id = requestId();
                String method = method();
                return new Request(id, method, params("params"));
            }
            if (type == Frame.RESPONSE && arity == 4) {
                long id = requestId();
                RpcError error = null;
                if (u.getNextFormat() == MessageFormat.NIL) {
                    u.unpackNil();
                } else {
                    error = error();
                }
                Object result = value(1);
                if (error != null && result != null) {
                    throw malformed("response carries both error and result");
                }
                return new Response(id, error, result);
            }
            if (type == Frame.NOTIFICATION && arity == 3) {
                String method = method();
                return new Notification(method, params("params"));
            }
            throw malformed("unknown frame type " + type + " with " + arity + " elements");
        }

        private long requestId() throws IOException {
            long id = integer("id");
            if (id < 0 || id > Request.MAX_ID) {
                throw malformed("request id out of uint32 range");
            }
            return id;
        }

        private String method() throws IOException {
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.STRING) {
                throw malformed("method must be a string");
            }
            String m = string();
            if (m.isEmpty() || m.length() > MAX_METHOD_CHARS) {
                throw malformed("method name must have 1.." + MAX_METHOD_CHARS + " characters");
            }
            return m;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> params(String what) throws IOException {
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
                throw malformed(what + " must be a map");
            }
            return (Map<String, Object>) value(1);
        }

        private RpcError error() throws IOException {
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
                throw malformed("response error must be nil or {code, message}");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(1);
            if (!(m.get("code") instanceof String code) || !(m.getOrDefault("message", "") instanceof String message)) {
                throw malformed("response error must be {code: str, message: str}");
            }
            return new RpcError(ErrorCode.fromWire(code), message);
        }

        private long integer(String what) throws IOException {
            if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.INTEGER) {
                throw malformed(what + " must be an integer");
            }
            return u.unpackLong();
        }

        private long remaining() {
            return size - u.getTotalReadBytes();
        }

        private void checkLength(long declared, String what) {
            if (declared < 0 || declared > remaining()) {
                throw malformed(what + " declares " + declared + " elements/bytes, more than the frame holds");
            }
        }

        private String string() throws IOException {
            int len = u.unpackRawStringHeader();
            checkLength(len, "string");
            byte[] raw = u.readPayload(len);
            try {
                CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(raw));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw malformed("string is not valid UTF-8");
            }
        }

        private Object value(int depth) throws IOException {
            if (depth > ProtocolLimits.MAX_NESTING_DEPTH) {
                throw malformed("values nested deeper than " + ProtocolLimits.MAX_NESTING_DEPTH);
            }
            if (!u.hasNext()) {
                throw malformed("frame ends early");
            }
            MessageFormat f = u.getNextFormat();
            switch (f.getValueType()) {
                case NIL:
                    u.unpackNil();
                    return null;
                case BOOLEAN:
                    return u.unpackBoolean();
                case INTEGER:
                    if (f == MessageFormat.UINT64) {
                        java.math.BigInteger big = u.unpackBigInteger();
                        if (big.bitLength() > 63) {
                            throw malformed("integer above 2^63-1");
                        }
                        return big.longValue();
                    }
                    return u.unpackLong();
                case FLOAT:
                    return u.unpackDouble();
                case STRING:
                    return string();
                case BINARY: {
                    int len = u.unpackBinaryHeader();
                    checkLength(len, "bin");
                    return u.readPayload(len);
                }
                case ARRAY: {
                    int n = u.unpackArrayHeader();
                    checkLength(n, "array");
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value(depth + 1));
                    }
                    return list;
                }
                case MAP: {
                    int n = u.unpackMapHeader();
                    checkLength(2L * n, "map");
                    Map<String, Object> map = n <= 12 ? new LinkedHashMap<>() : new HashMap<>(n * 2);
                    for (int i = 0; i < n; i++) {
                        if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.STRING) {
                            throw malformed("map keys must be strings");
                        }
                        String key = string();
                        if (map.containsKey(key)) {
                            throw malformed("duplicate map key '" + key + "'");
                        }
                        map.put(key, value(depth + 1));
                    }
                    return map;
                }
                default:
                    throw malformed("unsupported MessagePack type " + f.getValueType());
            }
        }
    }
}
