package dev.odinreactive.audio.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * QualityUnderLossIT's gap rule on virtual time: 5 s of the speech-like signal, encoded as
 * LocalMedia does (48 kHz mono 20 ms, VOIP 32 kbit/s, complexity 3, in-band FEC for 10 % loss),
 * goes through seeded random loss and 10–40 ms of jitter (which also reorders), with no packet
 * arriving after its slot played. Concealment fades only over long runs of losses, so the silent
 * frames (RMS below −60 dBFS between the first and last sounding frame) must not outnumber the
 * packets lost in runs of 3 or more.
 */
class JitterBufferSpeechLossTest {
    static final int N = 250;
    static final List<byte[]> PACKETS = new ArrayList<>();

    @BeforeAll
    static void encode() {
        float[] x = Signals.voice(N / 50.0, 140);
        OpusEncoder enc = new OpusEncoder(OpusConfig.defaults().withComplexity(3).withFec(true, 10));
        for (int i = 0; i < N; i++) {
            PACKETS.add(enc.encode(Arrays.copyOfRange(x, i * 960, i * 960 + 960)));
        }
    }

    /** One seeded run: what played, what was lost. */
    record Run(int silent, int lostInLongRuns, long late) {
    }

    static Run run(int lossPercent, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1000L + lossPercent);
        int jitter = 10 + r.nextInt(31);
        int phase = r.nextInt(20); // where the packets fall between the buffer's ticks
        long[] at = new long[N];
        boolean[] lost = new boolean[N];
        for (int i = 0; i < N; i++) {
            boolean edge = i < 10 || i >= N - 10; // clean edges, as in the IT
            lost[i] = !edge && r.nextDouble() < lossPercent / 100.0;
            at[i] = 20L * i + phase + (edge ? 0 : r.nextLong(jitter + 1));
        }
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(JitterConfig.defaults(), vts);
        List<float[]> frames = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> jb.frames().doOnNext(frames::add), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    for (int i = 0; i < N; i++) {
                        if (!lost[i]) {
                            MediaPacket p = new MediaPacket(i, 1800L * i, PACKETS.get(i));
                            vts.schedule(() -> jb.offer(p), at[i], TimeUnit.MILLISECONDS);
                        }
                    }
                    vts.schedule(jb::complete, 20L * N + 100, TimeUnit.MILLISECONDS);
                })
                .thenAwait(Duration.ofMillis(20L * N + 2000))
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        int first = -1;
        int last = -1;
        for (int k = 0; k < frames.size(); k++) {
            if (Signals.rms(frames.get(k)) > 0.01) {
                first = first < 0 ? k : first;
                last = k;
            }
        }
        int silent = 0;
        for (int k = first; k <= last; k++) {
            silent += Signals.rms(frames.get(k)) < 0.001 ? 1 : 0;
        }
        int inLongRuns = 0;
        for (int i = 0; i < N; ) {
            int j = i;
            if (lost[i]) {
                while (j + 1 < N && lost[j + 1]) {
                    j++;
                }
                inLongRuns += j - i + 1 >= 3 ? j - i + 1 : 0;
            }
            i = j + 1;
        }
        return new Run(silent, inLongRuns, jb.stats().packetsArrivedTooLate());
    }

    @Test
    void silentFramesOnlyWhereLongRunsOfPacketsWereLost() {
        int runs = 0;
        int excess = 0;
        List<String> failed = new ArrayList<>();
        for (int loss : new int[] {10, 20}) {
            for (long seed = 0; seed < 16; seed++) {
                Run run = run(loss, seed);
                if (run.late() > 0) {
                    continue; // a late packet grows the delay by stretching: not this rule's business
                }
                runs++;
                if (run.silent() > run.lostInLongRuns()) {
                    excess += run.silent() - run.lostInLongRuns();
                    failed.add(loss + " % seed " + seed + ": " + run);
                }
            }
        }
        assertThat(runs).as("runs without late packets").isGreaterThanOrEqualTo(24);
        assertThat(failed).as("runs with more silent frames than long-run losses (%d extra)", excess).isEmpty();
    }
}
