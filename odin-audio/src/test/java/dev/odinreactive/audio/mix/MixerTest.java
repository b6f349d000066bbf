package dev.odinreactive.audio.mix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.odinreactive.audio.AudioFormat;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Mixer on virtual time. Input k sends frames whose samples are 2^-(4+k), so every output sample
 * tells exactly which inputs contributed in that tick (one bit each): a frame mixed twice or lost
 * shows up in the per-input counts.
 */
class MixerTest {
    static final AudioFormat FMT = AudioFormat.of(8_000, 1); // 160 samples per 20 ms frame

    static float value(int k) {
        return (float) Math.scalb(1.0, -(4 + k));
    }

    static float[] frame(int k) {
        float[] f = new float[160];
        Arrays.fill(f, value(k));
        return f;
    }

    /** Clocked input k: {@code n} frames every 20 ms starting after {@code offsetMs}. */
    static Flux<float[]> clocked(VirtualTimeScheduler vts, int k, long offsetMs, int n) {
        return Flux.interval(Duration.ofMillis(offsetMs), Duration.ofMillis(20), vts).take(n).map(i -> frame(k));
    }

    static int[] contributions(List<float[]> out, int inputs) {
        int[] counts = new int[inputs];
        for (float[] f : out) {
            int bits = Math.round(f[0] * 512); // 2^-(4+k) * 2^9 = 2^(5-k)
            for (int k = 0; k < inputs; k++) {
                if ((bits & (1 << (5 - k))) != 0) {
                    counts[k]++;
                }
            }
            for (int i = 1; i < f.length; i++) {
                assertThat(f[i]).isEqualTo(f[0]);
            }
        }
        return counts;
    }

    @Test
    void everyFrameMixedExactlyOnceWhileInputsJoinLeaveAndStall() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Mixer mixer = Mixer.create(FMT, vts);
        List<float[]> out = new ArrayList<>();
        Disposable[] handleD = new Disposable[1];
        AtomicInteger inputsAt500 = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> mixer.output().doOnNext(out::add).take(100), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    mixer.add(clocked(vts, 0, 5, 50));                       // from the start, 50 frames
                    vts.schedule(() -> mixer.add(clocked(vts, 1, 13, 30)), 300, TimeUnit.MILLISECONDS); // joins later
                    vts.schedule(() -> mixer.add(Flux.concat(                // stalls 150 ms, then bursts
                            clocked(vts, 2, 7, 10),
                            Flux.range(0, 7).map(i -> frame(2)).delaySubscription(Duration.ofMillis(150), vts),
                            clocked(vts, 2, 20, 10))), 100, TimeUnit.MILLISECONDS);
                    vts.schedule(() -> handleD[0] = mixer.add(clocked(vts, 3, 1, 1000)), 400, TimeUnit.MILLISECONDS);
                    vts.schedule(() -> inputsAt500.set(mixer.inputs()), 500, TimeUnit.MILLISECONDS);
                    vts.schedule(() -> handleD[0].dispose(), 601, TimeUnit.MILLISECONDS); // leaves after 10 frames
                })
                .thenAwait(Duration.ofMillis(2_000))
                .expectNextCount(100)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        int[] counts = contributions(out, 4);
        assertThat(counts[0]).isEqualTo(50);
        assertThat(counts[1]).isEqualTo(30);
        assertThat(counts[2]).isEqualTo(27);
        assertThat(counts[3]).isEqualTo(10);
        assertThat(mixer.framesMixed()).isEqualTo(117);
        assertThat(mixer.framesDropped()).isZero();
        assertThat(inputsAt500.get()).isEqualTo(4);
        assertThat(mixer.inputs()).isZero(); // finished inputs left the mix
        assertThat(out).hasSize(100); // clocked: one frame per tick, silence when nobody speaks
    }

    @Test
    void mailboxOverflowDropsOldestAndCounts() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Mixer mixer = Mixer.create(FMT, vts, 4, 0.9f);
        List<float[]> out = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> mixer.output().doOnNext(out::add).take(20), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> mixer.add(Flux.range(0, 10).map(i -> frame(0)))) // 10 frames at once
                .thenAwait(Duration.ofMillis(400))
                .expectNextCount(20)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(contributions(out, 1)[0]).isEqualTo(4);
        assertThat(mixer.framesDropped()).isEqualTo(6);
    }

    @Test
    void softLimiterPreventsClipping() {
        float[] x = {0.5f, 0.89f, 1.2f, 2f, 40f, -3f};
        Mixer.limit(x, 0.9f);
        assertThat(x[0]).isEqualTo(0.5f);
        assertThat(x[1]).isEqualTo(0.89f);
        assertThat(x[2]).isBetween(0.9f, 1f);
        assertThat(x[3]).isBetween(x[2], 1f);
        assertThat(x[4]).isBetween(x[3], 1f);
        assertThat(x[5]).isBetween(-1f, -0.9f);

        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        StepVerifier.withVirtualTime(() -> Flux.just(constant(0.6f), constant(0.6f), constant(-0.3f))
                                .map(f -> Flux.interval(Duration.ofMillis(5), Duration.ofMillis(20), vts).take(3).map(i -> f))
                                .transform(Mixer.mixing(FMT, vts)).take(2),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(100))
                .assertNext(f -> assertThat(f[0]).isBetween(0.85f, 0.95f)) // 0.9 sum: at the knee
                .assertNext(f -> assertThat(f[0]).isBetween(0.85f, 0.95f))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    static float[] constant(float v) {
        float[] f = new float[160];
        Arrays.fill(f, v);
        return f;
    }

    @Test
    void outputIsSharedWithTheEchoCancellerAndDisposeStopsEverything() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Mixer mixer = Mixer.create(FMT, vts);
        List<float[]> playback = new ArrayList<>();
        List<float[]> reverse = new ArrayList<>();
        Disposable a = mixer.output().subscribe(playback::add);
        Disposable b = mixer.output().subscribe(reverse::add);
        AtomicInteger cancelled = new AtomicInteger();
        mixer.add(clocked(vts, 0, 3, 1000).doOnCancel(cancelled::incrementAndGet));
        vts.advanceTimeBy(Duration.ofMillis(200));
        assertThat(playback).hasSize(10);
        assertThat(reverse).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(reverse.get(i)).isSameAs(playback.get(i));
        }
        mixer.dispose();
        vts.advanceTimeBy(Duration.ofMillis(200));
        assertThat(cancelled).hasValue(1);
        assertThat(playback).hasSize(10);
        assertThat(a.isDisposed()).isTrue();
        b.dispose();
    }
}
