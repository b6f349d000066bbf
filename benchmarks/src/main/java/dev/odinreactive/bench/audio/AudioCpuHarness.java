package dev.odinreactive.bench.audio;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.mix.Mixer;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.audio.resample.Resampler;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The JMH audio benchmarks' operations timed in <em>thread CPU time</em> (ThreadMXBean), which
 * stays meaningful on a machine whose other jobs steal the cores (wall-clock JMH figures then
 * mostly measure waiting). Prints one line per operation with the real-time factor.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.odinreactive.bench.audio.AudioCpuHarness}
 */
public final class AudioCpuHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private AudioCpuHarness() {
    }

    interface Op {
        void run();
    }

    /** CPU nanoseconds per op: warm-up, then the best of 5 rounds of {@code n} ops. */
    static double time(Op op, int n) {
        for (int i = 0; i < n * 3; i++) {
            op.run();
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            best = Math.min(best, (double) (CPU.getCurrentThreadCpuTime() - t0) / n);
        }
        return best;
    }

    static void report(String what, double nanosPerOp, double audioMillisPerOp) {
        System.out.printf(Locale.ROOT, "%-44s %10.1f us/op   real-time factor %8.1fx%n", what, nanosPerOp / 1e3,
                audioMillisPerOp * 1e6 / nanosPerOp);
    }

    public static void main(String[] args) {
        float[] speech = Signals.speechLike(48_000, 960 * 50);
        OpusEncoder enc = new OpusEncoder(OpusConfig.defaults());
        byte[][] packets = new byte[50][];
        float[][] frames = new float[50][];
        for (int i = 0; i < 50; i++) {
            frames[i] = java.util.Arrays.copyOfRange(speech, i * 960, i * 960 + 960);
            packets[i] = enc.encode(frames[i]);
        }
        byte[] buf = new byte[OpusEncoder.MAX_PACKET];
        int[] k = {0};
        report("opus encode 20 ms (ODIN defaults)", time(() -> enc.encode(frames[k[0]++ % 50], buf, 0), 500), 20);
        OpusDecoder dec = OpusDecoder.createDefault();
        float[] pcm = new float[dec.maxFrameLength()];
        report("opus decode 20 ms", time(() -> {
            byte[] p = packets[k[0]++ % 50];
            dec.decode(p, 0, p.length, pcm);
        }, 2000), 20);

        for (int[] r : new int[][] {{44_100, 48_000}, {48_000, 16_000}, {48_000, 44_100}, {16_000, 48_000}}) {
            Resampler rs = new Resampler(r[0], r[1], 1);
            float[] chunk = Signals.speechLike(r[0], r[0] / 50);
            float[] out = new float[rs.maxOutputLength(chunk.length) * 2];
            report("resample 1 s " + r[0] + " -> " + r[1] + " Hz mono", time(() -> {
                for (int i = 0; i < 50; i++) {
                    rs.process(chunk, 0, chunk.length, out, 0);
                }
            }, 20), 1000);
        }

        for (int inputs : new int[] {8, 32, 100}) {
            VirtualTimeScheduler clock = VirtualTimeScheduler.create();
            Mixer mixer = Mixer.create(AudioFormat.OPUS_MONO, clock);
            List<Sinks.Many<float[]>> sinks = new ArrayList<>();
            List<OpusDecoder> decoders = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                Sinks.Many<float[]> s = Sinks.many().unicast().onBackpressureBuffer();
                sinks.add(s);
                mixer.add(s.asFlux());
                decoders.add(OpusDecoder.createDefault());
            }
            long[] emitted = {0};
            Disposable d = mixer.output().subscribe(f -> emitted[0]++);
            float[] frame = frames[10];
            report("mixer tick, " + inputs + " inputs", time(() -> {
                for (Sinks.Many<float[]> s : sinks) {
                    s.tryEmitNext(frame);
                }
                clock.advanceTimeBy(Duration.ofMillis(20));
            }, 500), 20);
            float[][] decoded = new float[inputs][960];
            report("decode + mix tick, " + inputs + " streams", time(() -> {
                byte[] p = packets[k[0]++ % 50];
                for (int i = 0; i < inputs; i++) {
                    decoders.get(i).decode(p, 0, p.length, decoded[i]);
                    sinks.get(i).tryEmitNext(decoded[i]);
                }
                clock.advanceTimeBy(Duration.ofMillis(20));
            }, 50), 20);
            d.dispose();
            mixer.dispose();
            if (mixer.framesDropped() != 0) {
                throw new IllegalStateException("mixer dropped frames");
            }
        }
    }
}
