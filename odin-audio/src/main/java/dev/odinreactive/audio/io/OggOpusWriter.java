package dev.odinreactive.audio.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import dev.odinreactive.audio.internal.OggPage;

/**
 * Writes Opus packets into an Ogg Opus file (RFC 7845): an {@code OpusHead} page, an
 * {@code OpusTags} page, then audio pages whose granule positions count every decoded 48 kHz sample
 * (the pre-skip samples included); the last page carries the end-of-stream flag and the end-trimmed granule.
 * Packet-level: encoding is the caller's job ({@link OggOpusFile} does both). Blocking I/O; not
 * thread-safe.
 */
public final class OggOpusWriter implements Closeable {
    /** Audio pages are flushed after this many packets (1 s of 20 ms packets). */
    private static final int PACKETS_PER_PAGE = 50;

    private final OutputStream out;
    private final OggPage page = new OggPage();
    private final int preSkip;
    private int sequence;
    private int packetsOnPage;
    private long granule;
    private boolean closed;

    private OggOpusWriter(OutputStream out, int serial, int preSkip) {
        this.out = out;
        this.preSkip = preSkip;
        page.serial = serial;
        page.clear();
    }

    /**
     * Creates {@code file} and writes the two header pages.
     *
     * @param channels        1 or 2
     * @param inputSampleRate the original input rate, informational (players use 48 kHz)
     * @param preSkip         samples at 48 kHz the decoder must discard (the encoder's look-ahead)
     * @param vendor          vendor string for {@code OpusTags}
     */
    public static OggOpusWriter create(Path file, int channels, int inputSampleRate, int preSkip, String vendor)
            throws IOException {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2");
        }
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        OggOpusWriter w = new OggOpusWriter(os, ThreadLocalRandom.current().nextInt(), preSkip);
        try {
            w.writeHeaders(channels, inputSampleRate, vendor);
        } catch (IOException e) {
            os.close();
            throw e;
        }
        return w;
    }

    private void writeHeaders(int channels, int inputSampleRate, String vendor) throws IOException {
        byte[] head = new byte[19];
        System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 8);
        head[8] = 1;
        head[9] = (byte) channels;
        head[10] = (byte) preSkip;
        head[11] = (byte) (preSkip >>> 8);
        OggPage.putInt(head, 12, inputSampleRate);
        // output gain 0, mapping family 0
        page.flags = OggPage.BOS;
        page.granule = 0;
        page.add(head, 0, head.length);
        flushPage();

        byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
        byte[] tags = new byte[8 + 4 + v.length + 4];
        System.arraycopy("OpusTags".getBytes(StandardCharsets.US_ASCII), 0, tags, 0, 8);
        OggPage.putInt(tags, 8, v.length);
        System.arraycopy(v, 0, tags, 12, v.length);
        page.granule = 0;
        page.add(tags, 0, tags.length);
        flushPage();
    }

    private void flushPage() throws IOException {
        page.sequence = sequence++;
        page.write(out);
        page.clear();
        packetsOnPage = 0;
    }

    /** The pre-skip written into {@code OpusHead}. */
    public int preSkip() {
        return preSkip;
    }

    /** Granule position after the packets written so far: their 48 kHz samples, pre-skip included. */
    public long granule() {
        return granule;
    }

    /**
     * Appends one Opus packet.
     *
     * @param samples48k the packet's duration in samples per channel at 48 kHz (960 for 20 ms)
     */
    public void writePacket(byte[] packet, int off, int len, int samples48k) throws IOException {
        if (closed) {
            throw new IOException("Ogg Opus writer is closed");
        }
        if (!page.fits(len) || packetsOnPage >= PACKETS_PER_PAGE) {
            page.granule = granule;
            flushPage();
        }
        page.add(packet, off, len);
        packetsOnPage++;
        granule += samples48k;
    }

    /**
     * Writes the last page with the end-of-stream flag and the granule
     * {@code preSkip + audioSamples48k}, which trims the padding of the last packet, then closes.
     *
     * @param audioSamples48k real audio length in samples per channel at 48 kHz (≤ what was written)
     */
    public void close(long audioSamples48k) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            page.flags |= OggPage.EOS;
            page.granule = preSkip + Math.min(audioSamples48k, granule);
            flushPage();
            out.flush();
        } finally {
            out.close();
        }
    }

    /** Closes without end trimming (final granule = everything written). */
    @Override
    public void close() throws IOException {
        close(granule);
    }
}
