package dev.odinreactive.audio.opus;

import java.util.Arrays;
import java.util.function.Function;

import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.internal.Pcm;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import reactor.core.publisher.Flux;

/**
 * Encodes frames of exactly {@link OpusConfig#frameLength()} interleaved floats into Opus
 * packets (Concentus, pure Java). Reuses its PCM and packet buffers: {@link #encode(float[], byte[], int)}
 * allocates nothing. Not thread-safe: one encoder per stream. {@link #close()} releases nothing
 * native (there is none) but makes further use fail.
 */
public final class OpusEncoder implements AutoCloseable {
    /** Largest packet this encoder produces, in bytes (libopus' recommended bound). */
    public static final int MAX_PACKET = 1275 * 3 + 7;

    private final OpusConfig config;
    private final io.github.jaredmdobson.concentus.OpusEncoder encoder;
    private final short[] pcm;
    private final byte[] packet = new byte[MAX_PACKET];
    private boolean closed;

    /** Creates an encoder with {@code config}. */
    public OpusEncoder(OpusConfig config) {
        this.config = config;
        try {
            encoder = new io.github.jaredmdobson.concentus.OpusEncoder(config.sampleRate(), config.channels(),
                    switch (config.application()) {
                        case VOIP -> io.github.jaredmdobson.concentus.OpusApplication.OPUS_APPLICATION_VOIP;
                        case AUDIO -> io.github.jaredmdobson.concentus.OpusApplication.OPUS_APPLICATION_AUDIO;
                        case RESTRICTED_LOWDELAY ->
                                io.github.jaredmdobson.concentus.OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY;
                    });
        } catch (OpusException | IllegalArgumentException e) {
            throw new OpusCodecException("cannot create Opus encoder for " + config + ": " + e.getMessage(), e);
        }
        encoder.setBitrate(config.bitrate());
        encoder.setUseDTX(config.dtx());
        encoder.setUseInbandFEC(config.fec());
        encoder.setPacketLossPercent(config.packetLossPercent());
        encoder.setComplexity(config.complexity());
        encoder.setSignalType(config.application() == OpusApplication.VOIP
                ? OpusSignal.OPUS_SIGNAL_VOICE : OpusSignal.OPUS_SIGNAL_MUSIC);
        pcm = new short[config.frameLength()];
    }

    /** Creates an encoder with ODIN's defaults. */
    public static OpusEncoder createDefault() {
        return new OpusEncoder(OpusConfig.defaults());
    }

    /** The settings. */
    public OpusConfig config() {
        return config;
    }

    /**
     * Encoder look-ahead in samples per channel at 48 kHz: the Ogg Opus pre-skip.
     */
    public int lookahead48k() {
        return encoder.getLookahead() * (48_000 / config.sampleRate());
    }

    /**
     * Encodes one frame into {@code out} at {@code off}.
     *
     * @return packet length in bytes (1–2 bytes when DTX suppresses a silent frame)
     * @throws AudioFormatException if the frame length is wrong
     * @throws OpusCodecException   if the codec fails or {@code out} is too small
     */
    public int encode(float[] frame, byte[] out, int off) {
        if (closed) {
            throw new IllegalStateException("Opus encoder is closed");
        }
        if (frame.length != pcm.length) {
            throw new AudioFormatException("Opus frame must have " + pcm.length + " samples (" + config.frameMillis()
                    + " ms of " + config.format() + "), not " + frame.length);
        }
        Pcm.toShorts(frame, 0, pcm, 0, pcm.length);
        try {
            return encoder.encode(pcm, 0, config.samplesPerChannel(), out, off, out.length - off);
        } catch (OpusException e) {
            throw new OpusCodecException("Opus encode failed: " + e.getMessage(), e);
        }
    }

    /** Encodes one frame into a new array of the packet's exact length. */
    public byte[] encode(float[] frame) {
        int n = encode(frame, packet, 0);
        return Arrays.copyOf(packet, n);
    }

    /** Resets the codec state (start of a new stream). */
    public void reset() {
        encoder.resetState();
    }

    /** Makes further use fail. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Operator: frames in (exactly {@link OpusConfig#frameLength()} each, see
     * {@code Frames.reframe}), packets out, one per frame, on the thread delivering frames.
     * One encoder per subscription. Errors: {@link AudioFormatException} on a wrong frame length.
     */
    public static Function<Flux<float[]>, Flux<byte[]>> encoding(OpusConfig config) {
        return frames -> Flux.using(() -> new OpusEncoder(config), enc -> frames.map(enc::encode), OpusEncoder::close);
    }
}
