package dev.odinreactive.audio.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.internal.Pcm;

/**
 * Streaming WAV writer: writes the header on open, samples as they come, and the final chunk
 * sizes on {@link #close()}. Blocking I/O; not thread-safe.
 */
public final class WavWriter implements Closeable {
    private static final int HEADER = 44;

    private final FileChannel channel;
    private final AudioFormat format;
    private final WavEncoding encoding;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private long filePos = HEADER;
    private boolean closed;

    private WavWriter(FileChannel channel, AudioFormat format, WavEncoding encoding) {
        this.channel = channel;
        this.format = format;
        this.encoding = encoding;
    }

    /** Creates (or truncates) {@code file} and writes a provisional header. */
    public static WavWriter create(Path file, AudioFormat format, WavEncoding encoding) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavWriter w = new WavWriter(ch, format, encoding);
        try {
            w.writeHeader();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return w;
    }

    /** The format being written. */
    public AudioFormat format() {
        return format;
    }

    /** Interleaved samples written so far. */
    public long samplesWritten() {
        return dataBytes / encoding.bytesPerSample;
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = format.channels() * encoding.bytesPerSample;
        long riff = Math.min(0xFFFFFFFFL, 36 + dataBytes);
        h.putInt(0x46464952).putInt((int) riff).putInt(0x45564157);
        h.putInt(0x20746d66).putInt(16).putShort((short) encoding.formatTag).putShort((short) format.channels())
                .putInt(format.sampleRate()).putInt(format.sampleRate() * blockAlign).putShort((short) blockAlign)
                .putShort((short) (encoding.bytesPerSample * 8));
        h.putInt(0x61746164).putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
        h.flip();
        while (h.hasRemaining()) {
            channel.write(h, h.position());
        }
    }

    /** Writes all of {@code samples} (interleaved). */
    public void write(float[] samples) throws IOException {
        write(samples, 0, samples.length);
    }

    /**
     * Writes {@code len} interleaved samples.
     *
     * @throws AudioFormatException if {@code len} is not a whole number of multi-channel samples
     */
    public void write(float[] samples, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("WAV writer is closed");
        }
        if (len % format.channels() != 0) {
            throw new AudioFormatException(len + " samples are not a whole number of "
                    + format.channels() + "-channel samples");
        }
        for (int i = 0; i < len; i++) {
            if (buffer.remaining() < 4) {
                flush();
            }
            if (encoding == WavEncoding.FLOAT32) {
                buffer.putFloat(samples[off + i]);
            } else {
                buffer.putShort(Pcm.toShort(samples[off + i]));
            }
        }
        dataBytes += (long) len * encoding.bytesPerSample;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            filePos += channel.write(buffer, filePos);
        }
        buffer.clear();
    }

    /** Flushes, writes the final sizes into the header and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
            writeHeader();
        } finally {
            channel.close();
        }
    }
}
