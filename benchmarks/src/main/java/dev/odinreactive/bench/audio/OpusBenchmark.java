package dev.odinreactive.bench.audio;

import java.util.concurrent.TimeUnit;

import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Opus (Concentus) cost per 20 ms frame with ODIN's defaults (48 kHz mono, VOIP, 32 kbit/s,
 * DTX, FEC 15 %), on a voiced-speech-like signal. Real-time factor = 20 ms / time per frame.
 * Both loops reuse their buffers: no allocation per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpusBenchmark {
    static final int FRAMES = 50;

    private OpusEncoder encoder;
    private OpusDecoder decoder;
    private float[][] frames;
    private byte[][] packets;
    private final byte[] packet = new byte[OpusEncoder.MAX_PACKET];
    private float[] pcm;
    private int next;

    @Setup
    public void setup() {
        encoder = new OpusEncoder(OpusConfig.defaults());
        decoder = OpusDecoder.createDefault();
        pcm = new float[decoder.maxFrameLength()];
        frames = new float[FRAMES][];
        packets = new byte[FRAMES][];
        float[] speech = Signals.speechLike(48_000, 960 * FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = java.util.Arrays.copyOfRange(speech, i * 960, i * 960 + 960);
            packets[i] = encoder.encode(frames[i]);
        }
    }

    /** Encode one 20 ms frame. */
    @Benchmark
    public int encode20ms() {
        next = (next + 1) % FRAMES;
        return encoder.encode(frames[next], packet, 0);
    }

    /** Decode one 20 ms packet. */
    @Benchmark
    public int decode20ms() {
        next = (next + 1) % FRAMES;
        byte[] p = packets[next];
        return decoder.decode(p, 0, p.length, pcm);
    }
}
