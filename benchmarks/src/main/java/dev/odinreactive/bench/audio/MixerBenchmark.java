package dev.odinreactive.bench.audio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.mix.Mixer;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One 20 ms tick of the real {@link Mixer} pipeline (mailboxes, combineLatest with the clock,
 * sum, soft limiter) with N live inputs, driven by a virtual clock so that only CPU time is
 * measured; and the same tick preceded by decoding one Opus packet per input (the receive side
 * of a room with N talkers). Real time holds while a tick takes less than 20 ms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MixerBenchmark {
    @Param({"8", "32", "100"})
    public int inputs;

    private VirtualTimeScheduler clock;
    private Mixer mixer;
    private final List<Sinks.Many<float[]>> sinks = new ArrayList<>();
    private Disposable output;
    private float[] frame;
    private final List<OpusDecoder> decoders = new ArrayList<>();
    private byte[][] packets;
    private float[][] decoded;
    private int next;
    private long emitted;

    @Setup(Level.Trial)
    public void setup() {
        clock = VirtualTimeScheduler.create();
        mixer = Mixer.create(AudioFormat.OPUS_MONO, clock);
        frame = new float[960];
        java.util.Arrays.fill(frame, 0.001f);
        for (int i = 0; i < inputs; i++) {
            Sinks.Many<float[]> s = Sinks.many().unicast().onBackpressureBuffer();
            sinks.add(s);
            mixer.add(s.asFlux());
            decoders.add(OpusDecoder.createDefault());
        }
        output = mixer.output().subscribe(f -> emitted++);
        OpusEncoder enc = OpusEncoder.createDefault();
        float[] speech = Signals.speechLike(48_000, 960 * 50);
        packets = new byte[50][];
        for (int i = 0; i < 50; i++) {
            packets[i] = enc.encode(java.util.Arrays.copyOfRange(speech, i * 960, i * 960 + 960));
        }
        decoded = new float[inputs][960];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        output.dispose();
        mixer.dispose();
        if (mixer.framesDropped() != 0) {
            throw new IllegalStateException("mixer dropped " + mixer.framesDropped() + " frames");
        }
    }

    /** Mix one tick: one frame from every input, summed and limited. */
    @Benchmark
    public long mixTick() {
        for (Sinks.Many<float[]> s : sinks) {
            s.tryEmitNext(frame);
        }
        clock.advanceTimeBy(Duration.ofMillis(20));
        return emitted;
    }

    /** Decode one packet per input, then mix the tick. */
    @Benchmark
    public long decodeAndMixTick() {
        next = (next + 1) % packets.length;
        byte[] p = packets[next];
        for (int i = 0; i < inputs; i++) {
            decoders.get(i).decode(p, 0, p.length, decoded[i]);
            sinks.get(i).tryEmitNext(decoded[i]);
        }
        clock.advanceTimeBy(Duration.ofMillis(20));
        return emitted;
    }
}
