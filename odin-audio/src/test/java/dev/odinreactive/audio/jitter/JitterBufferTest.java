package dev.odinreactive.audio.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Jitter buffer on virtual time: crafted packet sequences (loss, reorder, duplicates, late,
 * early, garbage, bursts) and the counters they must produce.
 */
class JitterBufferTest {
    static final int N = 100;
    static final long SEQ0 = 0xFFFFFFF0L; // wraps after 16 packets
    static final long TS0 = 0xFFFF0000L;  // wraps too
    static final List<byte[]> PACKETS = new ArrayList<>();
    static final List<float[]> CLEAN = new ArrayList<>();

    @BeforeAll
    static void encode() {
        float[] speech = Signals.speechLike(48_000, 960 * N);
        OpusEncoder enc = OpusEncoder.createDefault();
        OpusDecoder dec = OpusDecoder.createDefault();
        for (int i = 0; i < N; i++) {
            byte[] p = enc.encode(Arrays.copyOfRange(speech, i * 960, i * 960 + 960));
            PACKETS.add(p);
            CLEAN.add(dec.decode(p));
        }
    }

    static MediaPacket packet(int i) {
        return new MediaPacket((SEQ0 + i) & 0xFFFFFFFFL, (TS0 + 1800L * i) & 0xFFFFFFFFL, PACKETS.get(i));
    }

    /** A scenario: what to offer at which virtual millisecond. */
    static final class Scenario {
        final List<long[]> at = new ArrayList<>(); // {ms, index or -1}
        final List<MediaPacket> custom = new ArrayList<>();

        Scenario send(long ms, int i) {
            at.add(new long[] {ms, i});
            return this;
        }

        Scenario send(long ms, MediaPacket p) {
            custom.add(p);
            at.add(new long[] {ms, -custom.size()});
            return this;
        }

        /** Every packet except {@code skip}, packet i at 20 i + 10 ms. */
        static Scenario clean(int... skip) {
            Scenario s = new Scenario();
            outer:
            for (int i = 0; i < N; i++) {
                for (int k : skip) {
                    if (k == i) {
                        continue outer;
                    }
                }
                s.send(20L * i + 10, i);
            }
            return s;
        }
    }

    record Result(List<float[]> frames, AudioStreamStats stats, JitterBuffer jb) {
    }

    static Result run(Scenario sc) {
        return run(sc, JitterConfig.defaults(), jb -> { });
    }

    static Result run(Scenario sc, JitterConfig cfg, Consumer<JitterBuffer> during) {
        return run(sc, cfg, during, jb -> { });
    }

    /**
     * Plays a scenario on virtual time; completes the stream at 20 N + 30 ms and drains. Calls
     * {@code during} at 20 N + 20 ms and {@code perFrame} right after each frame is emitted.
     */
    static Result run(Scenario sc, JitterConfig cfg, Consumer<JitterBuffer> during, Consumer<JitterBuffer> perFrame) {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(cfg, vts);
        List<float[]> frames = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> jb.frames().doOnNext(f -> {
                    frames.add(f);
                    perFrame.accept(jb);
                }), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    for (long[] e : sc.at) {
                        MediaPacket p = e[1] >= 0 ? packet((int) e[1]) : sc.custom.get((int) (-e[1] - 1));
                        vts.schedule(() -> jb.offer(p), e[0], TimeUnit.MILLISECONDS);
                    }
                    vts.schedule(() -> during.accept(jb), 20L * N + 20, TimeUnit.MILLISECONDS);
                    vts.schedule(jb::complete, 20L * N + 30, TimeUnit.MILLISECONDS);
                })
                .thenAwait(Duration.ofMillis(20L * N + 5_000))
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        AudioStreamStats st = jb.stats();
        assertThat(st.packetsTotal()).isEqualTo(st.packetsProcessed() + st.packetsArrivedTooEarly()
                + st.packetsArrivedTooLate() + st.packetsDropped() + st.packetsInvalid() + st.packetsRepeated()
                + jb.buffered());
        assertThat(frames).allSatisfy(f -> assertThat(f.length).isEqualTo(960));
        return new Result(frames, st, jb);
    }

    /** Index of the first frame equal to the clean decode of packet {@code i}, or -1. */
    static int indexOf(List<float[]> frames, float[] frame) {
        for (int k = 0; k < frames.size(); k++) {
            if (Arrays.equals(frames.get(k), frame)) {
                return k;
            }
        }
        return -1;
    }

    @Test
    void cleanStreamStartsAt40msThenShrinksTo20ms() {
        Result r = run(Scenario.clean());
        // tick at 20 ms plays the slot before the first packet (silence), tick at 40 ms plays packet 0,
        // which arrived at 10 ms: 30 ms of delay, within the 40 ms base
        assertThat(r.frames.get(0)).containsOnly(0f);
        assertThat(r.frames.get(1)).containsExactly(CLEAN.get(0));
        assertThat(r.stats).isEqualTo(new AudioStreamStats(N, N - 1, 0, 0, 1, 0, 0, 0));
        // after 25 packets that were all one frame early, one frame was skipped: 20 ms delay
        assertThat(r.jb.delay()).isEqualTo(Duration.ofMillis(20));
        assertThat(indexOf(r.frames, CLEAN.get(30))).isEqualTo(30);
        // clocked: one frame per tick from the first packet until drained (one slot was skipped)
        assertThat(r.frames.size()).isBetween(N - 1, N + 3);
        // concealment only after the last packet (the sender stopped without notice), never inside
        assertThat(r.jb.framesConcealed()).isLessThanOrEqualTo(2);
        assertThat(r.jb.framesRecovered()).isZero();
    }

    @Test
    void emitsOneFramePerTickWhileStreamLives() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(JitterConfig.defaults(), vts);
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        StepVerifier.withVirtualTime(() -> jb.frames().doOnNext(f -> count.incrementAndGet()), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(210))
                .then(() -> assertThat(count).hasValue(0)) // nothing before the first packet
                .then(() -> jb.offer(packet(0)))
                .thenAwait(Duration.ofMillis(1000)) // one packet, then the sender went silent: still clocked
                .then(() -> assertThat(count).hasValue(50))
                .then(jb::complete)
                .thenAwait(Duration.ofMillis(100))
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(count).hasValue(51); // ticks at 220, 240, ..., 1220 ms
        StepVerifier.create(jb.frames()).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void reorderedPacketsPlayInOrder() {
        Scenario sc = new Scenario();
        for (int i = 0; i < N; i += 2) {
            sc.send(20L * i + 10, i + 1).send(20L * i + 11, i); // each pair arrives swapped
            // the second of a pair would be "late" at +20: send it in the same interval
        }
        Result reordered = run(sc);
        Result clean = run(Scenario.clean());
        assertThat(reordered.stats.packetsLost()).isZero();
        assertThat(reordered.stats.packetsArrivedTooLate()).isZero();
        assertThat(reordered.stats.packetsProcessed() + reordered.stats.packetsDropped()).isEqualTo(N);
        assertThat(indexOf(reordered.frames, CLEAN.get(51))).isGreaterThan(indexOf(reordered.frames, CLEAN.get(50)));
        assertThat(indexOf(reordered.frames, CLEAN.get(50))).isPositive();
        assertThat(clean.frames.size()).isBetween(N - 1, N + 3);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        Scenario sc = Scenario.clean();
        for (int i = 10; i < 20; i++) {
            sc.send(20L * i + 15, i);       // copy within the same tick
        }
        sc.send(20L * 60 + 15, 30);         // copy of an already played packet
        Result r = run(sc);
        Result clean = run(Scenario.clean());
        assertThat(r.stats.packetsRepeated()).isEqualTo(11);
        assertThat(r.stats.packetsTotal()).isEqualTo(N + 11);
        assertThat(r.stats.packetsProcessed()).isEqualTo(clean.stats.packetsProcessed());
        assertThat(r.frames).hasSameSizeAs(clean.frames);
        for (int k = 0; k < r.frames.size(); k++) {
            assertThat(r.frames.get(k)).containsExactly(clean.frames.get(k));
        }
    }

    @Test
    void lossIsCountedAndRecoveredByFecOrConcealed() {
        Result r = run(Scenario.clean(40, 41, 70));
        assertThat(r.stats.packetsLost()).isEqualTo(3);
        assertThat(r.stats.packetsProcessed() + r.stats.packetsDropped()).isEqualTo(N - 3);
        assertThat(r.stats.packetsArrivedTooLate()).isZero();
        // 40 and 41: the delay was 20 ms, so 42 was not there yet: PLC. The loss made the buffer keep
        // one frame more (40 ms), so 70 is rebuilt from 71's in-band FEC
        assertThat(r.jb.framesRecovered()).isEqualTo(1);
        assertThat(r.jb.framesConcealed()).isGreaterThanOrEqualTo(2);
        assertThat(r.jb.delay()).isEqualTo(Duration.ofMillis(40));
        // every gap was filled with sound (PLC or FEC), none with silence
        for (int k = 2; k < 95; k++) {
            assertThat(Signals.energy(r.frames.get(k), 0, 960)).as("frame %d", k).isGreaterThan(1e-4);
        }
    }

    @Test
    void latePacketIsCountedGrowsTheDelayThenCatchesUp() {
        Scenario sc = Scenario.clean(30);
        sc.send(20L * 30 + 10 + 100, 30); // 100 ms late
        Duration[] delayAt = new Duration[1];
        Result r = run(sc, JitterConfig.defaults(), jb -> delayAt[0] = jb.delay());
        assertThat(r.stats.packetsArrivedTooLate()).isEqualTo(1);
        assertThat(r.stats.packetsLost()).isEqualTo(1);
        assertThat(r.stats.packetsProcessed() + r.stats.packetsDropped()).isEqualTo(N - 1);
        assertThat(r.jb.framesConcealed()).isGreaterThanOrEqualTo(1);
        // grew by the lateness, then caught up to the minimum once packets were early again
        assertThat(delayAt[0]).isLessThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void burstAfterStallGrowsWithinMaximumThenCatchesUp() {
        Scenario sc = Scenario.clean(rangeArray(40, 52));
        for (int i = 40; i < 52; i++) {
            sc.send(20L * 52 + 10, i); // 240 ms stall, then all at once
        }
        List<Duration> delays = new ArrayList<>();
        Result r = run(sc, JitterConfig.defaults(), jb -> delays.add(jb.delay()));
        // the first late packets grow the delay; once a run of them exceeds what the maximum delay
        // can absorb, the buffer re-anchors on the burst and plays the rest of it
        assertThat(r.stats.packetsArrivedTooLate()).isGreaterThanOrEqualTo(JitterConfig.defaults().resetAfter() - 1);
        // the burst's backlog is skipped once 25 packets show the margin (low latency over completeness)
        assertThat(r.stats.packetsProcessed()).isGreaterThan(N - 14);
        assertThat(r.stats.packetsTotal()).isEqualTo(N);
        assertThat(delays.get(0)).isLessThanOrEqualTo(Duration.ofMillis(40)); // back down after the burst
        assertThat(r.frames.size()).isBetween(N - 5, N + 15);
    }

    @Test
    void aStreamAnchoredOnALateStartShrinksToItsRealMargin() {
        // the first six packets come together 100 ms late (a sender warming up), then on time: the
        // buffer anchored on the late start holds ~6 frames more than its nominal delay says, and
        // must shed them, not just the nominal frame
        Scenario sc = new Scenario();
        for (int i = 0; i < N; i++) {
            sc.send(i < 6 ? 110 : 20L * i + 10, i);
        }
        int[] buffered = {-1};
        Result r = run(sc, JitterConfig.defaults(), jb -> buffered[0] = jb.buffered());
        assertThat(buffered[0]).as("frames waiting in steady state").isBetween(0, 1);
        assertThat(r.stats.packetsArrivedTooLate()).isZero();
    }

    static int[] rangeArray(int from, int to) {
        int[] a = new int[to - from];
        for (int i = from; i < to; i++) {
            a[i - from] = i;
        }
        return a;
    }

    @Test
    void neverExceedsMaximumDelay() {
        // the sender speeds up: every packet arrives earlier than the previous schedule
        Scenario sc = new Scenario();
        for (int i = 0; i < N; i++) {
            sc.send(i < 20 ? 20L * i + 10 : 400 + 5L * i, i); // packets 20.. arrive 4x too fast
        }
        List<Duration> delays = new ArrayList<>();
        Result r = run(sc, JitterConfig.defaults(), jb -> delays.add(jb.delay()));
        assertThat(r.jb.buffered()).isZero();
        assertThat(r.stats.packetsDropped()).isPositive(); // skipped to stay within 200 ms
        assertThat(delays.get(0)).isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void tooEarlyPacketsAreDroppedAndARunOfThemResets() {
        Scenario sc = Scenario.clean();
        MediaPacket far = new MediaPacket((SEQ0 + 5_000) & 0xFFFFFFFFL, (TS0 + 1800L * 500) & 0xFFFFFFFFL, PACKETS.get(3));
        sc.send(20L * 10 + 15, far);
        Result r = run(sc);
        assertThat(r.stats.packetsArrivedTooEarly()).isEqualTo(1);
        assertThat(r.stats.packetsProcessed() + r.stats.packetsDropped()).isEqualTo(N);

        // sender restarts with a new timeline: after 3 out-of-window packets the buffer re-anchors
        Scenario restart = new Scenario();
        for (int i = 0; i < 50; i++) {
            restart.send(20L * i + 10, i);
        }
        for (int i = 50; i < N; i++) {
            restart.send(20L * i + 10, new MediaPacket(i, (TS0 + 1800L * (i + 100_000)) & 0xFFFFFFFFL, PACKETS.get(i)));
        }
        Result rr = run(restart);
        assertThat(rr.stats.packetsArrivedTooEarly()).isEqualTo(2); // the third triggers the reset
        assertThat(rr.stats.packetsProcessed()).isGreaterThan(N - 10);
        assertThat(rr.frames.size()).isBetween(N - 5, N + 5);
    }

    @Test
    void garbageIsInvalidAndLosesNothing() {
        Scenario sc = Scenario.clean();
        sc.send(105, new MediaPacket(SEQ0 + 1000, TS0, new byte[] {(byte) 0xff, (byte) 0xff, 1}));
        sc.send(106, new MediaPacket(SEQ0 + 1001, TS0, new byte[0]));
        sc.send(107, new MediaPacket(SEQ0 + 1002, TS0 + 900, PACKETS.get(1)));      // off the 1800 grid
        sc.send(108, new MediaPacket(-1, TS0, PACKETS.get(1)));                     // not a uint32
        sc.send(109, new MediaPacket(SEQ0 + 1003, 1L << 33, PACKETS.get(1)));       // not a uint32
        sc.send(110, null);
        OpusEncoder enc40 = new OpusEncoder(dev.odinreactive.audio.opus.OpusConfig.defaults().withFrameMillis(40));
        sc.send(111, new MediaPacket(SEQ0 + 1004, TS0, enc40.encode(new float[1920]))); // 40 ms packet
        Result r = run(sc);
        Result clean = run(Scenario.clean());
        assertThat(r.stats.packetsInvalid()).isEqualTo(7);
        assertThat(r.stats.packetsProcessed()).isEqualTo(clean.stats.packetsProcessed());
        for (int k = 0; k < clean.frames.size(); k++) {
            assertThat(r.frames.get(k)).containsExactly(clean.frames.get(k));
        }
    }

    @Test
    void slowSubscriberLosesOldestFramesCounted() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(JitterConfig.defaults(), vts);
        StepVerifier.withVirtualTime(jb::frames, () -> vts, 0)
                .expectSubscription()
                .then(() -> {
                    for (int i = 0; i < 50; i++) {
                        int k = i;
                        vts.schedule(() -> jb.offer(packet(k)), 20L * i + 10, TimeUnit.MILLISECONDS);
                    }
                })
                .thenAwait(Duration.ofMillis(1000))
                .then(() -> assertThat(jb.framesDroppedByBackpressure()).isEqualTo(50 - 8))
                .thenRequest(8)
                .expectNextCount(8)
                .thenCancel()
                .verify();
        jb.dispose();
        assertThat(jb.isDisposed()).isTrue();
        assertThat(jb.buffered()).isZero();
    }

    @Test
    void operatorDrainsAfterPacketsComplete() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        StepVerifier.withVirtualTime(() -> Flux.range(0, 10).map(JitterBufferTest::packet)
                                .transform(JitterBuffer.buffering(JitterConfig.defaults(), vts)),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(10) // all arrived at once: 1 frame before + 10 - 1 skipped... played in 20 ms steps
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void talkStateFollowsEndOfTalkThenTimeoutAndSilenceHasNoConcealment() {
        Scenario sc = new Scenario();
        for (int i = 0; i < 9; i++) { // spurt 1: packets 0..9, 9 ends it (empty end-of-talk payload)
            sc.send(20L * i + 10, i);
        }
        sc.send(20L * 9 + 10, new MediaPacket((SEQ0 + 9) & 0xFFFFFFFFL, (TS0 + 1800L * 9) & 0xFFFFFFFFL, new byte[0], true));
        for (int k = 0; k < 5; k++) { // spurt 2 a second later (DTX gap), no end-of-talk: timeout
            sc.send(20L * (60 + k) + 10, new MediaPacket((SEQ0 + 10 + k) & 0xFFFFFFFFL,
                    (TS0 + 1800L * (60 + k)) & 0xFFFFFFFFL, PACKETS.get(60 + k)));
        }
        List<Boolean> talking = new ArrayList<>();
        Result r = run(sc, JitterConfig.defaults(), jb -> { }, jb -> talking.add(jb.isTalking()));
        List<float[]> frames = r.frames();
        JitterBuffer jb = r.jb();
        int first = indexOf(frames, CLEAN.get(0));
        int eot = first + 9;
        assertThat(talking.subList(first, eot)).containsOnly(true);
        assertThat(talking.get(eot)).isFalse();
        assertThat(frames.get(eot)).containsOnly(0f); // the empty end-of-talk packet plays as silence
        // between the spurts: silence, neither concealment nor talk
        int second = first + 60;
        assertThat(frames.subList(eot, second)).allSatisfy(f -> assertThat(f).containsOnly(0f));
        assertThat(talking.subList(eot, second)).containsOnly(false);
        assertThat(frames.get(second)).isNotEqualTo(new float[960]);
        assertThat(talking.get(second)).isTrue();
        // spurt 2 stops without notice: talking until the timeout after its last packet
        int last = second + 4;
        assertThat(talking.subList(second, last + JitterBuffer.TALK_TIMEOUT_FRAMES + 1)).containsOnly(true);
        assertThat(talking.get(last + JitterBuffer.TALK_TIMEOUT_FRAMES + 1)).isFalse();
        assertThat(jb.stats()).isEqualTo(new AudioStreamStats(15, 15, 0, 0, 0, 0, 0, 0));
        assertThat(jb.framesConcealed()).isLessThanOrEqualTo(JitterConfig.defaults().concealFrames()); // after spurt 2 only
    }

    @Test
    void idleAfterEndOfTalkOnlyOnceTheEndPlayedAndNothingIsBuffered() {
        Scenario sc = new Scenario();
        for (int i = 0; i < 5; i++) {
            sc.send(20L * i + 10, new MediaPacket((SEQ0 + i) & 0xFFFFFFFFL, (TS0 + 1800L * i) & 0xFFFFFFFFL,
                    PACKETS.get(i), i == 4));
        }
        List<Boolean> idle = new ArrayList<>();
        JitterBuffer jb = run(sc, JitterConfig.defaults(), b -> { }, b -> idle.add(b.isIdleAfterEndOfTalk())).jb();
        int firstIdle = idle.indexOf(true);
        assertThat(firstIdle).isPositive();
        assertThat(idle.subList(0, firstIdle)).containsOnly(false);
        assertThat(idle.subList(firstIdle, idle.size())).containsOnly(true);
        assertThat(jb.stats().packetsProcessed() + jb.stats().packetsDropped()).isEqualTo(5);
    }

    @Test
    void resetAfterTheEndOfTalkPlayedLeavesTheBufferIdle() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(JitterConfig.defaults(), vts);
        StepVerifier.withVirtualTime(jb::frames, () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> jb.offer(new MediaPacket(SEQ0, TS0, PACKETS.get(0), true)))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> assertThat(jb.isIdleAfterEndOfTalk()).as("the end of talk played").isTrue())
                .then(() -> {
                    for (int i = 6; i < 9; i++) { // a new spurt arrives in a burst
                        jb.offer(packet(i));
                    }
                    assertThat(jb.buffered()).isEqualTo(3);
                    assertThat(jb.isIdleAfterEndOfTalk()).isFalse();
                    jb.reset();
                    assertThat(jb.buffered()).isZero();
                    assertThat(jb.isIdleAfterEndOfTalk()).as("nothing buffered, the last packet played ended the talk")
                            .isTrue();
                })
                .then(jb::complete)
                .thenAwait(Duration.ofMillis(100))
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void resetDropsWhatIsBufferedKeepsTheClockAndReanchors() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        JitterBuffer jb = JitterBuffer.create(JitterConfig.defaults(), vts);
        List<float[]> frames = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> jb.frames().doOnNext(frames::add), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    for (int i = 0; i < 5; i++) { // a burst: 5 packets at once, 4 wait
                        jb.offer(packet(i));
                    }
                })
                .thenAwait(Duration.ofMillis(20))
                .then(() -> {
                    assertThat(jb.buffered()).isEqualTo(5); // the first tick played the slot before packet 0
                    jb.reset();
                    assertThat(jb.buffered()).isZero();
                })
                .thenAwait(Duration.ofMillis(100)) // silence, still clocked
                .then(() -> assertThat(frames).hasSize(6))
                .then(() -> jb.offer(packet(50))) // a new timeline
                .thenAwait(Duration.ofMillis(60))
                .then(jb::complete)
                .thenAwait(Duration.ofMillis(100))
                .thenConsumeWhile(f -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(frames.subList(1, 6)).allSatisfy(f -> assertThat(f).containsOnly(0f));
        assertThat(indexOf(frames, CLEAN.get(0))).isEqualTo(-1);
        assertThat(jb.stats()).isEqualTo(new AudioStreamStats(6, 1, 0, 0, 5, 0, 0, 0));
        assertThat(frames).anySatisfy(f -> assertThat(f).isNotEqualTo(new float[960]));
    }

    @Test
    void senderSlowerThanRealTimeKeepsBeingHeardByReanchoring() {
        Scenario sc = new Scenario();
        for (int i = 0; i < N; i++) {
            sc.send(30L * i + 10, i); // 20 ms of audio every 30 ms: ever later
        }
        Result r = run(sc);
        // the delay grows to its maximum, then runs of too-late packets re-anchor the timeline
        // instead of discarding the rest of the stream
        // (without re-anchoring, everything after the first ~25 packets would be too late)
        assertThat(r.stats.packetsProcessed()).isGreaterThan(N / 2);
        assertThat(r.stats.packetsArrivedTooLate()).isLessThan(N / 2);
        assertThat(r.jb.delay()).isLessThanOrEqualTo(Duration.ofMillis(200));
    }
}
