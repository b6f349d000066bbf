package dev.odinreactive.audio.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;

/**
 * Streaming WAV reader: parses the header on {@link #open}, then {@link #read} delivers
 * interleaved float samples. Accepts PCM 16/24/32-bit, IEEE float 32-bit and the
 * WAVE_FORMAT_EXTENSIBLE wrapper of those, 1–2 channels, 8–192 kHz. Blocking I/O; not
 * thread-safe.
 */
public final class WavReader implements Closeable {
    private static final int TAG_PCM = 1;
    private static final int TAG_FLOAT = 3;
    private static final int TAG_EXTENSIBLE = 0xFFFE;

    private final Path file;
    private final FileChannel channel;
    private final AudioFormat format;
    private final boolean floatData;
    private final int bytesPerSample;
    private final long totalSamples;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long samplesRead;

    private WavReader(Path file, FileChannel channel, AudioFormat format, boolean floatData,
                      int bytesPerSample, long totalSamples) {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.floatData = floatData;
        this.bytesPerSample = bytesPerSample;
        this.totalSamples = totalSamples;
        buffer.limit(0);
    }

    /**
     * Opens and parses a WAV file, positioned at the first sample.
     *
     * @throws AudioFileException if the file is not a WAV file odin-audio can read
     * @throws IOException        if it cannot be read
     */
    public static WavReader open(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new AudioFileException(file, "no such file", e);
        }
        try {
            return parse(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static WavReader parse(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (readFully(ch, head, 0) < 12 || head.getInt(0) != 0x46464952 || head.getInt(8) != 0x45564157) {
            throw new AudioFileException(file, "not a WAV file (no RIFF/WAVE header)");
        }
        long pos = 12;
        int tag = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        ByteBuffer chunk = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (pos + 8 <= size) {
            chunk.clear();
            readFully(ch, chunk, pos);
            int id = chunk.getInt(0);
            long len = Integer.toUnsignedLong(chunk.getInt(4));
            pos += 8;
            if (id == 0x20746d66) { // "fmt "
                if (len < 16 || len > 1024 || pos + len > size) {
                    throw new AudioFileException(file, "malformed fmt chunk (" + len + " bytes)");
                }
                ByteBuffer fmt = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, fmt, pos);
                tag = Short.toUnsignedInt(fmt.getShort(0));
                channels = Short.toUnsignedInt(fmt.getShort(2));
                rate = fmt.getInt(4);
                blockAlign = Short.toUnsignedInt(fmt.getShort(12));
                bits = Short.toUnsignedInt(fmt.getShort(14));
                if (tag == TAG_EXTENSIBLE) {
                    if (len < 40) {
                        throw new AudioFileException(file, "malformed WAVE_FORMAT_EXTENSIBLE fmt chunk");
                    }
                    tag = Short.toUnsignedInt(fmt.getShort(24));
                }
            } else if (id == 0x61746164) { // "data"
                if (tag < 0) {
                    throw new AudioFileException(file, "data chunk before fmt chunk");
                }
                long available = size - pos;
                long dataLen = Math.min(len, available); // tolerate streaming writers' 0xFFFFFFFF / truncation
                return create(file, ch, tag, channels, rate, bits, blockAlign, pos, dataLen);
            }
            pos += len + (len & 1);
        }
        throw new AudioFileException(file, tag < 0 ? "no fmt chunk" : "no data chunk");
    }

    private static WavReader create(Path file, FileChannel ch, int tag, int channels, int rate, int bits,
                                    int blockAlign, long dataPos, long dataLen) throws IOException {
        boolean isFloat;
        if (tag == TAG_PCM && (bits == 16 || bits == 24 || bits == 32)) {
            isFloat = false;
        } else if (tag == TAG_FLOAT && bits == 32) {
            isFloat = true;
        } else {
            throw new AudioFileException(file, "unsupported WAV encoding (format tag " + tag + ", " + bits
                    + " bits); supported: PCM 16/24/32-bit, float 32-bit");
        }
        AudioFormat format;
        try {
            format = new AudioFormat(rate, channels);
        } catch (AudioFormatException e) {
            throw new AudioFileException(file, "unsupported WAV format: " + e.getMessage(), e);
        }
        int bytes = bits / 8;
        if (blockAlign != bytes * channels) {
            throw new AudioFileException(file, "inconsistent WAV header (block align " + blockAlign + ")");
        }
        ch.position(dataPos);
        long total = dataLen / blockAlign * channels;
        return new WavReader(file, ch, format, isFloat, bytes, total);
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int n = 0;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** The file's format. */
    public AudioFormat format() {
        return format;
    }

    /** Total interleaved samples in the data chunk. */
    public long totalSamples() {
        return totalSamples;
    }

    /** Interleaved samples not read yet. */
    public long remaining() {
        return totalSamples - samplesRead;
    }

    /**
     * Reads up to {@code len} interleaved samples (rounded down to whole multi-channel samples)
     * into {@code out}.
     *
     * @return samples read, or -1 at the end of the data
     */
    public int read(float[] out, int off, int len) throws IOException {
        int want = (int) Math.min(len - len % format.channels(), remaining());
        if (want <= 0) {
            return remaining() == 0 ? -1 : 0;
        }
        int done = 0;
        while (done < want) {
            if (buffer.remaining() < bytesPerSample) {
                buffer.compact();
                int r = channel.read(buffer);
                buffer.flip();
                if (r < 0 && buffer.remaining() < bytesPerSample) {
                    throw new AudioFileException(file, "truncated data chunk");
                }
            }
            int n = Math.min(want - done, buffer.remaining() / bytesPerSample);
            for (int i = 0; i < n; i++) {
                out[off + done + i] = sample();
            }
            done += n;
        }
        samplesRead += done;
        return done;
    }

    private float sample() {
        if (floatData) {
            return buffer.getFloat();
        }
        switch (bytesPerSample) {
            case 2:
                return buffer.getShort() * (1f / 32768f);
            case 3: {
                int b0 = buffer.get() & 0xff;
                int b1 = buffer.get() & 0xff;
                int b2 = buffer.get();
                return ((b2 << 16) | (b1 << 8) | b0) * (1f / 8388608f);
            }
            default:
                return (float) (buffer.getInt() * (1.0 / 2147483648.0));
        }
    }

    /** Reads everything that is left. */
    public float[] readAll() throws IOException {
        if (remaining() > Integer.MAX_VALUE - 16) {
            throw new AudioFileException(file, "too large to read into memory");
        }
        float[] all = new float[(int) remaining()];
        int off = 0;
        while (off < all.length) {
            int n = read(all, off, all.length - off);
            if (n <= 0) {
                break;
            }
            off += n;
        }
        return all;
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
