package dev.odinreactive.protocol.media.internal;

import dev.odinreactive.protocol.media.MediaDropReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Layout of media-plane datagrams (version 1), all integers big-endian:
 *
 * <pre>
 * offset size field
 *  0     1    version (1)
 *  1     1    type (1 MEDIA, 2 HELLO, 3 HELLO_ACK, 4 PING, 5 PONG)
 *  2     1    flags (bit 0 END_OF_TALK on MEDIA, bit 1 PROBE on HELLO/PING); other bits 0
 *  3     1    reserved, 0
 *  4     4    key id (uplink: the session id; downlink: the downlink key id)
 *  8     8    packet number, 0..2^63-1, +1 per datagram sealed with this key
 * -- MEDIA only --
 * 16     2    media id
 * 18     4    sequence number
 * 22     4    timestamp (90 kHz)
 * -- then --
 *  H     n    ciphertext of the body (MEDIA: the Opus packet; HELLO/PING/PONG/HELLO_ACK: 8 bytes echo)
 *  H+n  16    AES-GCM tag; associated data = bytes [0, H); nonce = key id (4) || packet number (8)
 * </pre>
 *
 * Static helpers over {@code byte[]}; stateless and thread-safe.
 */
public final class MediaWire {

    public static final int VERSION = 1;
    public static final int TYPE_MEDIA = 1;
    public static final int TYPE_HELLO = 2;
    public static final int TYPE_HELLO_ACK = 3;
    public static final int TYPE_PING = 4;
    public static final int TYPE_PONG = 5;

    public static final int FLAG_END_OF_TALK = 1;
    public static final int FLAG_PROBE = 2;

    public static final int COMMON_HEADER = 16;
    public static final int MEDIA_HEADER = 26;
    public static final int TAG = 16;
    /** Body length of HELLO, HELLO_ACK, PING and PONG (an 8-byte value the answer echoes). */
    public static final int CONTROL_BODY = 8;
    /** Length of a sealed HELLO, HELLO_ACK, PING or PONG datagram. */
    public static final int CONTROL_DATAGRAM = COMMON_HEADER + CONTROL_BODY + TAG;
    /** Largest datagram either side sends or accepts (fits any path MTU we care about). */
    public static final int MAX_DATAGRAM = 1200;
    /** Largest Opus payload of one MEDIA datagram. */
    public static final int MAX_MEDIA_PAYLOAD = MAX_DATAGRAM - MEDIA_HEADER - TAG;

    static final int OFF_TYPE = 1;
    static final int OFF_FLAGS = 2;
    static final int OFF_RESERVED = 3;
    static final int OFF_KEY_ID = 4;
    static final int OFF_PACKET_NUMBER = 8;
    static final int OFF_MEDIA_ID = 16;
    static final int OFF_SEQUENCE = 18;
    static final int OFF_TIMESTAMP = 22;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private MediaWire() {
    }

    /** Header length for a type: {@link #MEDIA_HEADER} for MEDIA, {@link #COMMON_HEADER} otherwise. */
    public static int headerLength(int type) {
        return type == TYPE_MEDIA ? MEDIA_HEADER : COMMON_HEADER;
    }

    /**
     * Structural checks that need no key: length, version, type, reserved bits, body size and
     * packet number range. Does not check direction (see {@link #expectedOnServer}).
     *
     * @return {@code null} if the datagram may be opened, else why it must be dropped
     */
    public static MediaDropReason precheck(byte[] b, int len) {
        if (len < COMMON_HEADER + TAG) {
            return MediaDropReason.TRUNCATED;
        }
        if (len > MAX_DATAGRAM) {
            return MediaDropReason.OVERSIZED;
        }
        if ((b[0] & 0xFF) != VERSION) {
            return MediaDropReason.BAD_VERSION;
        }
        int type = type(b);
        int flags = flags(b);
        switch (type) {
            case TYPE_MEDIA:
                if (len < MEDIA_HEADER + TAG) {
                    return MediaDropReason.TRUNCATED;
                }
                if ((flags & ~FLAG_END_OF_TALK) != 0) {
                    return MediaDropReason.MALFORMED;
                }
                break;
            case TYPE_HELLO:
            case TYPE_PING:
            case TYPE_HELLO_ACK:
            case TYPE_PONG:
                if (len < CONTROL_DATAGRAM) {
                    return MediaDropReason.TRUNCATED;
                }
                if (len > CONTROL_DATAGRAM || (flags & ~FLAG_PROBE) != 0) {
                    return MediaDropReason.MALFORMED;
                }
                break;
            default:
                return MediaDropReason.UNKNOWN_TYPE;
        }
        if (b[OFF_RESERVED] != 0 || packetNumber(b) < 0) {
            return MediaDropReason.MALFORMED;
        }
        return null;
    }

    /** Whether the relay accepts this type (MEDIA, HELLO, PING). */
    public static boolean expectedOnServer(int type) {
        return type == TYPE_MEDIA || type == TYPE_HELLO || type == TYPE_PING;
    }

    /** Whether a client accepts this type (MEDIA, HELLO_ACK, PONG). */
    public static boolean expectedOnClient(int type) {
        return type == TYPE_MEDIA || type == TYPE_HELLO_ACK || type == TYPE_PONG;
    }

    public static int type(byte[] b) {
        return b[OFF_TYPE] & 0xFF;
    }

    public static int flags(byte[] b) {
        return b[OFF_FLAGS] & 0xFF;
    }

    public static int keyId(byte[] b) {
        return (int) INT.get(b, OFF_KEY_ID);
    }

    public static long packetNumber(byte[] b) {
        return (long) LONG.get(b, OFF_PACKET_NUMBER);
    }

    public static int mediaId(byte[] b) {
        return ((short) SHORT.get(b, OFF_MEDIA_ID)) & 0xFFFF;
    }

    public static int sequence(byte[] b) {
        return (int) INT.get(b, OFF_SEQUENCE);
    }

    public static int timestamp(byte[] b) {
        return (int) INT.get(b, OFF_TIMESTAMP);
    }

    /** Reads the 8-byte body value at {@code off} (the plaintext of a control datagram). */
    public static long readLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void writeLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    /** Writes the 16-byte common header. */
    public static void writeCommonHeader(byte[] b, int type, int flags, int keyId, long packetNumber) {
        b[0] = (byte) VERSION;
        b[OFF_TYPE] = (byte) type;
        b[OFF_FLAGS] = (byte) flags;
        b[OFF_RESERVED] = 0;
        INT.set(b, OFF_KEY_ID, keyId);
        LONG.set(b, OFF_PACKET_NUMBER, packetNumber);
    }

    /** Writes the 10-byte MEDIA header extension. */
    public static void writeMediaFields(byte[] b, int mediaId, int sequence, int timestamp) {
        SHORT.set(b, OFF_MEDIA_ID, (short) mediaId);
        INT.set(b, OFF_SEQUENCE, sequence);
        INT.set(b, OFF_TIMESTAMP, timestamp);
    }

    /** Rewrites key id and packet number in place (the relay's re-seal keeps the other fields). */
    public static void rewriteKey(byte[] b, int keyId, long packetNumber) {
        INT.set(b, OFF_KEY_ID, keyId);
        LONG.set(b, OFF_PACKET_NUMBER, packetNumber);
    }
}
