package dev.odinreactive.audio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Ogg page framing (RFC 3533): CRC, writing a page from whole packets, reading a page.
 * Used by the Ogg Opus reader and writer.
 */
public final class OggPage {
    /** Header flag: first page of a packet continued from the previous page. */
    public static final int CONTINUED = 1;
    /** Header flag: beginning of stream. */
    public static final int BOS = 2;
    /** Header flag: end of stream. */
    public static final int EOS = 4;

    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int j = 0; j < 8; j++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC[i] = r;
        }
    }

    /** Header type flags. */
    public int flags;
    /** Granule position (-1: no packet ends on this page). */
    public long granule;
    /** Stream serial number. */
    public int serial;
    /** Page sequence number. */
    public int sequence;
    /** Segment table. */
    public final int[] lacing = new int[255];
    /** Number of segments. */
    public int segments;
    /** Page body. */
    public final byte[] body = new byte[255 * 255];
    /** Body length. */
    public int bodyLength;

    /** Ogg CRC-32 (polynomial 0x04C11DB7, no reflection, zero init). */
    public static int crc(int crc, byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            crc = (crc << 8) ^ CRC[((crc >>> 24) ^ data[off + i]) & 0xff];
        }
        return crc;
    }

    /** Clears segments and body. */
    public void clear() {
        segments = 0;
        bodyLength = 0;
        flags = 0;
        granule = -1;
    }

    /** Whether a packet of {@code len} bytes still fits on this page. */
    public boolean fits(int len) {
        return segments + len / 255 + 1 <= 255;
    }

    /** Appends a whole packet (its lacing values and bytes). */
    public void add(byte[] packet, int off, int len) {
        if (!fits(len)) {
            throw new IllegalStateException("packet does not fit on the page");
        }
        int left = len;
        while (left >= 255) {
            lacing[segments++] = 255;
            left -= 255;
        }
        lacing[segments++] = left;
        System.arraycopy(packet, off, body, bodyLength, len);
        bodyLength += len;
    }

    /** Writes the page with its CRC. */
    public void write(OutputStream out) throws IOException {
        byte[] h = new byte[27 + segments];
        h[0] = 'O';
        h[1] = 'g';
        h[2] = 'g';
        h[3] = 'S';
        h[4] = 0;
        h[5] = (byte) flags;
        putLong(h, 6, granule);
        putInt(h, 14, serial);
        putInt(h, 18, sequence);
        h[26] = (byte) segments;
        for (int i = 0; i < segments; i++) {
            h[27 + i] = (byte) lacing[i];
        }
        int crc = crc(0, h, 0, h.length);
        crc = crc(crc, body, 0, bodyLength);
        putInt(h, 22, crc);
        out.write(h);
        out.write(body, 0, bodyLength);
    }

    /**
     * Reads the next page.
     *
     * @return false at a clean end of input
     * @throws IOException with a reason if the data is not a valid Ogg page
     */
    public boolean read(InputStream in) throws IOException {
        byte[] h = new byte[27];
        int first = in.read();
        if (first < 0) {
            return false;
        }
        h[0] = (byte) first;
        readFully(in, h, 1, 26);
        if (h[0] != 'O' || h[1] != 'g' || h[2] != 'g' || h[3] != 'S') {
            throw new IOException("not an Ogg page (no OggS capture pattern)");
        }
        if (h[4] != 0) {
            throw new IOException("unsupported Ogg version " + h[4]);
        }
        flags = h[5] & 0xff;
        granule = getLong(h, 6);
        serial = getInt(h, 14);
        sequence = getInt(h, 18);
        int storedCrc = getInt(h, 22);
        segments = h[26] & 0xff;
        byte[] lace = new byte[segments];
        readFully(in, lace, 0, segments);
        bodyLength = 0;
        for (int i = 0; i < segments; i++) {
            lacing[i] = lace[i] & 0xff;
            bodyLength += lacing[i];
        }
        readFully(in, body, 0, bodyLength);
        putInt(h, 22, 0);
        int crc = crc(0, h, 0, 27);
        crc = crc(crc, lace, 0, segments);
        crc = crc(crc, body, 0, bodyLength);
        if (crc != storedCrc) {
            throw new IOException("Ogg page " + sequence + " has a bad CRC (corrupt file)");
        }
        return true;
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("truncated Ogg page");
        }
    }

    /** Little-endian 32-bit store. */
    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    /** Little-endian 64-bit store. */
    public static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) v);
        putInt(b, off + 4, (int) (v >>> 32));
    }

    /** Little-endian 32-bit load. */
    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** Little-endian 64-bit load. */
    public static long getLong(byte[] b, int off) {
        return (getInt(b, off) & 0xffffffffL) | ((long) getInt(b, off + 4)) << 32;
    }
}
