package dev.odinreactive.audio.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.internal.OggPage;
import dev.odinreactive.audio.opus.OpusCodecException;
import dev.odinreactive.audio.opus.OpusDecoder;

/**
 * Reads an Ogg Opus file (RFC 7845, channel mapping family 0: mono or stereo): parses
 * {@code OpusHead} and {@code OpusTags} on {@link #open}, then returns packets
 * ({@link #nextPacket}) or decoded 48 kHz audio with the pre-skip removed and the end trimmed to
 * the last granule position ({@link #readDecoded}). Pages of other logical streams are ignored.
 * Blocking I/O; not thread-safe.
 */
public final class OggOpusReader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final OggPage page = new OggPage();
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final OggOpusHead head;
    private final int serial;
    private byte[] partial = new byte[0];
    private boolean eos;
    private boolean lastPageEos;
    private long lastPageGranule = -1;
    private OpusDecoder decoder;
    private float[] decodeBuffer;
    private long decodedPosition; // 48 kHz samples per channel decoded so far, including pre-skip

    private OggOpusReader(Path file, InputStream in) throws IOException {
        this.file = file;
        this.in = in;
        if (!readPage(true)) {
            throw new AudioFileException(file, "empty file, not Ogg Opus");
        }
        serial = page.serial;
        if ((page.flags & OggPage.BOS) == 0) {
            throw new AudioFileException(file, "first Ogg page is not a beginning-of-stream page");
        }
        collect();
        byte[] id = nextRaw();
        if (id == null || id.length < 19 || !new String(id, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
            throw new AudioFileException(file, "not an Ogg Opus file (first packet is not OpusHead)");
        }
        if ((id[8] & 0xf0) != 0) {
            throw new AudioFileException(file, "unsupported OpusHead version " + (id[8] & 0xff));
        }
        int channels = id[9] & 0xff;
        int preSkip = (id[10] & 0xff) | (id[11] & 0xff) << 8;
        int rate = OggPage.getInt(id, 12);
        int gain = (short) ((id[16] & 0xff) | (id[17] & 0xff) << 8);
        int family = id[18] & 0xff;
        if (family != 0 || channels < 1 || channels > 2) {
            throw new AudioFileException(file, "unsupported Ogg Opus layout (" + channels + " channels, mapping family "
                    + family + "); supported: mono or stereo, family 0");
        }
        byte[] tags = nextRaw();
        if (tags == null || tags.length < 16 || !new String(tags, 0, 8, StandardCharsets.US_ASCII).equals("OpusTags")) {
            throw new AudioFileException(file, "not an Ogg Opus file (second packet is not OpusTags)");
        }
        int vlen = OggPage.getInt(tags, 8);
        if (vlen < 0 || 12 + vlen > tags.length) {
            throw new AudioFileException(file, "malformed OpusTags header");
        }
        String vendor = new String(tags, 12, vlen, StandardCharsets.UTF_8);
        head = new OggOpusHead(channels, preSkip, rate, gain, vendor);
    }

    /**
     * Opens a file and reads its headers.
     *
     * @throws AudioFileException if it is not an Ogg Opus file odin-audio supports
     */
    public static OggOpusReader open(Path file) throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new AudioFileException(file, "no such file", e);
        }
        try {
            return new OggOpusReader(file, in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads the headers from {@code in}, which the reader then owns ({@link #close} closes it).
     * Error messages name no file.
     *
     * @throws AudioFileException if the stream is not Ogg Opus that odin-audio supports
     */
    static OggOpusReader open(InputStream in) throws IOException {
        return new OggOpusReader(null, in);
    }

    /** The stream's headers. */
    public OggOpusHead head() {
        return head;
    }

    /** Format of decoded audio: 48 kHz and the stream's channel count. */
    public AudioFormat format() {
        return AudioFormat.of(48_000, head.channels());
    }

    private boolean readPage(boolean any) throws IOException {
        while (true) {
            boolean ok;
            try {
                ok = page.read(in);
            } catch (AudioFileException e) {
                throw e;
            } catch (IOException e) {
                throw new AudioFileException(file, e.getMessage() == null ? "unreadable Ogg data" : e.getMessage(), e);
            }
            if (!ok) {
                return false;
            }
            if (any || page.serial == serial) {
                return true;
            }
        }
    }

    private void collect() {
        int off = 0;
        byte[] cur = partial;
        for (int i = 0; i < page.segments; i++) {
            int l = page.lacing[i];
            byte[] grown = Arrays.copyOf(cur, cur.length + l);
            System.arraycopy(page.body, off, grown, cur.length, l);
            cur = grown;
            off += l;
            if (l < 255) {
                packets.add(cur);
                cur = new byte[0];
            }
        }
        partial = cur;
        lastPageEos = (page.flags & OggPage.EOS) != 0;
        if (page.granule != -1) {
            lastPageGranule = page.granule;
        }
    }

    private byte[] nextRaw() throws IOException {
        while (packets.isEmpty()) {
            if (eos || !readPage(false)) {
                eos = true;
                return null;
            }
            collect();
            if (lastPageEos) {
                eos = true;
            }
        }
        return packets.poll();
    }

    /** The next audio packet, or null at the end of the stream. */
    public byte[] nextPacket() throws IOException {
        return nextRaw();
    }

    /**
     * Decodes the next packet into 48 kHz interleaved audio, with pre-skip and end trimming
     * applied; may return an empty array (inside the pre-skip).
     *
     * @return decoded samples, or null at the end of the stream
     * @throws AudioFileException if a packet is corrupt
     */
    public float[] readDecoded() throws IOException {
        if (decoder == null) {
            decoder = new OpusDecoder(format());
            decodeBuffer = new float[decoder.maxFrameLength()];
        }
        byte[] p = nextRaw();
        if (p == null) {
            return null;
        }
        int n;
        try {
            n = decoder.decode(p, 0, p.length, decodeBuffer);
        } catch (OpusCodecException e) {
            throw new AudioFileException(file, e.getMessage(), e);
        }
        long start = decodedPosition;
        long end = start + n;
        decodedPosition = end;
        long from = Math.max(start, head.preSkip());
        long to = end;
        if (eos && lastPageGranule >= 0) {
            to = Math.min(end, lastPageGranule); // end trimming on the last page
        }
        if (to <= from) {
            return new float[0];
        }
        int ch = head.channels();
        float[] out = Arrays.copyOfRange(decodeBuffer, (int) (from - start) * ch, (int) (to - start) * ch);
        if (head.outputGainQ8() != 0) {
            float g = (float) Math.pow(10, head.outputGainQ8() / (20.0 * 256));
            for (int i = 0; i < out.length; i++) {
                out[i] *= g;
            }
        }
        return out;
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
