package dev.odinreactive.audio.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusEncoder;

/** Encoder + Ogg writer pair shared by {@link OggOpusFile#write} and {@link OggOpusFile#sink}. */
final class OggOpusEncoding implements Closeable {
    static final String VENDOR = "odin-reactive (Concentus 1.0.2)";

    private final OpusConfig config;
    private final OpusEncoder encoder;
    private final OggOpusWriter writer;
    private final float[] frame;
    private final byte[] packet = new byte[OpusEncoder.MAX_PACKET];
    private final int frame48k;
    private int filled;
    private long inputSamplesPerChannel;
    private long framesEncoded;
    private boolean finished;

    OggOpusEncoding(Path file, OpusConfig config) throws IOException {
        this.config = config;
        this.encoder = new OpusEncoder(config);
        this.writer = OggOpusWriter.create(file, config.channels(), config.sampleRate(), encoder.lookahead48k(), VENDOR);
        this.frame = new float[config.frameLength()];
        this.frame48k = config.samplesPerChannel() * (48_000 / config.sampleRate());
    }

    void write(float[] samples) throws IOException {
        if (samples.length % config.channels() != 0) {
            throw new AudioFormatException(samples.length + " samples are not a whole number of "
                    + config.channels() + "-channel samples");
        }
        int pos = 0;
        while (pos < samples.length) {
            int n = Math.min(frame.length - filled, samples.length - pos);
            System.arraycopy(samples, pos, frame, filled, n);
            filled += n;
            pos += n;
            if (filled == frame.length) {
                encodeFrame();
            }
        }
        inputSamplesPerChannel += samples.length / config.channels();
    }

    private void encodeFrame() throws IOException {
        int len = encoder.encode(frame, packet, 0);
        writer.writePacket(packet, 0, len, frame48k);
        framesEncoded++;
        filled = 0;
    }

    /** Pads, flushes the encoder look-ahead, writes the trimmed final page; returns input samples per channel. */
    long finish() throws IOException {
        if (finished) {
            return inputSamplesPerChannel;
        }
        finished = true;
        long audio48k = inputSamplesPerChannel * (48_000 / config.sampleRate());
        if (filled > 0) {
            java.util.Arrays.fill(frame, filled, frame.length, 0f);
            encodeFrame();
        }
        java.util.Arrays.fill(frame, 0f);
        while (framesEncoded * frame48k < audio48k + writer.preSkip()) {
            encodeFrame();
        }
        writer.close(audio48k);
        return inputSamplesPerChannel;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
