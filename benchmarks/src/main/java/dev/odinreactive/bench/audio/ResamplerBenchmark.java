package dev.odinreactive.bench.audio;

import java.util.concurrent.TimeUnit;

import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.resample.Resampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Resampler cost per second of mono audio, streamed in 20 ms chunks into a reused output
 * buffer (the allocation-free path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ResamplerBenchmark {
    @Param({"44100:48000", "48000:16000", "48000:44100", "16000:48000"})
    public String rates;

    private Resampler resampler;
    private float[] chunk;
    private float[] out;
    private int chunks;

    @Setup
    public void setup() {
        String[] r = rates.split(":");
        int from = Integer.parseInt(r[0]);
        int to = Integer.parseInt(r[1]);
        resampler = new Resampler(from, to, 1);
        chunk = new float[from / 50];
        float[] s = Signals.speechLike(from, chunk.length);
        System.arraycopy(s, 0, chunk, 0, chunk.length);
        out = new float[resampler.maxOutputLength(chunk.length) * 2];
        chunks = 50;
    }

    /** One second of audio: 50 chunks of 20 ms. */
    @Benchmark
    public int oneSecond() {
        int n = 0;
        for (int i = 0; i < chunks; i++) {
            n += resampler.process(chunk, 0, chunk.length, out, 0);
        }
        return n;
    }
}
