package dev.odinreactive.audio.jitter;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.odinreactive.audio.opus.OpusCodecException;
import dev.odinreactive.audio.opus.OpusDecoder;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Adaptive jitter buffer and decoder for one remote stream: {@link #offer} packets (any thread,
 * any order), subscribe once to {@link #frames()} for a clocked {@code Flux<float[]>}: one frame
 * of 20 ms every 20 ms of the injected clock ({@link Scheduler}), from the first packet until
 * {@link #complete()} has been called and everything buffered was played.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>Slots: a packet's slot is {@code (timestamp - first timestamp) / 1800}; the buffer plays
 *       one slot per tick, reordering packets and dropping duplicates.</li>
 *   <li>Gaps: a missing slot is rebuilt from the next packet's in-band FEC when that packet is
 *       already here, otherwise concealed by Opus PLC (at most {@code concealFrames} frames in a
 *       row, then silence). When the sequence numbers show the sender simply did not send
 *       (silence between talk spurts), the gap is played as silence.</li>
 *   <li>Delay: starts at {@code baseDelayFrames} (40 ms). A packet arriving after its slot was
 *       played is counted too late and grows the delay by its lateness (one concealed frame
 *       inserted per tick) up to {@code maxDelayFrames} (200 ms). When every one of the last
 *       {@code adaptPackets} packets arrived at least one frame ahead of need, the buffer catches
 *       up by skipping that many frames at once, down to {@code minDelayFrames} (20 ms). While
 *       losses were seen in the last 5 s it keeps one extra frame so that FEC can work. If the
 *       buffered audio ever exceeds the maximum, the oldest frames are skipped.</li>
 *   <li>Resets: {@code resetAfter} consecutive packets more than the window (2 s) away from
 *       playout (a sender restart), or {@code resetAfter} consecutive too-late packets whose
 *       lateness the maximum delay cannot absorb (a sender slower than real time, a long stall),
 *       drop the buffer and re-anchor on the new timeline (the packet that triggers it plays).</li>
 *   <li>Backpressure: at most {@code outputBufferFrames} frames wait for a slow subscriber; the
 *       oldest beyond that are dropped and counted ({@link #framesDroppedByBackpressure()}).</li>
 * </ul>
 * Frames are emitted on the clock's thread; decoding runs there too. {@link #dispose()} stops
 * the clock and completes the output.
 */
public final class JitterBuffer implements Disposable {
    /** Frame duration. */
    public static final Duration FRAME = Duration.ofMillis(20);
    private static final int LOSS_GUARD_TICKS = 250;
    /** Ticks without a packet to play after which a talk spurt counts as ended (timeout; 200 ms). */
    public static final int TALK_TIMEOUT_FRAMES = 10;

    private static final class Entry {
        long slot = Long.MIN_VALUE;
        long sequence;
        byte[] payload;
        boolean endOfTalk;
    }

    private final JitterConfig config;
    private final Scheduler clock;
    private final OpusDecoder decoder;
    private final int frameSamples;
    private final int frameLength;
    private final Entry[] ring;
    private final long[] seen = new long[1024];
    private final int[] margins;
    private final float[] scratch;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile boolean disposed;

    private long total;
    private long processed;
    private long early;
    private long late;
    private long dropped;
    private long invalid;
    private long repeated;
    private long lost;
    private long recovered;
    private long concealed;

    private boolean anchored;
    private long baseTimestamp;
    private long nextSlot;
    private long highestSlot;
    private long lastSequence = -1;
    private int delayFrames;
    private int pendingGrowth;
    private int outOfWindow;
    private int lateRun;
    private int concealRun;
    private int lossGuard;
    private int marginCount;
    private int marginPos;
    private boolean ended;
    private boolean started;
    private boolean talking;
    private boolean endOfTalkPlayed;
    private int idleTicks;
    private Throwable error;

    private JitterBuffer(JitterConfig config, Scheduler clock) {
        this.config = config;
        this.clock = clock;
        this.decoder = new OpusDecoder(config.format());
        this.frameSamples = config.format().samplesPerChannel(20);
        this.frameLength = frameSamples * config.format().channels();
        this.ring = new Entry[config.windowFrames()];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new Entry();
        }
        Arrays.fill(seen, -1);
        this.margins = new int[config.adaptPackets()];
        this.scratch = new float[decoder.maxFrameLength()];
        this.delayFrames = config.baseDelayFrames();
    }

    /** A buffer with {@code config}, clocked by {@code clock} (e.g. {@code Schedulers.parallel()} or a virtual-time scheduler). */
    public static JitterBuffer create(JitterConfig config, Scheduler clock) {
        return new JitterBuffer(config, clock);
    }

    /** A buffer with ODIN's defaults on {@code Schedulers.parallel()}. */
    public static JitterBuffer createDefault() {
        return new JitterBuffer(JitterConfig.defaults(), Schedulers.parallel());
    }

    /**
     * Operator: packets in, clocked frames out. One buffer per subscription; the output
     * completes after the packets complete and the buffer has drained, and errors after
     * draining if the packets error.
     */
    public static Function<Flux<MediaPacket>, Flux<float[]>> buffering(JitterConfig config, Scheduler clock) {
        return packets -> Flux.defer(() -> {
            JitterBuffer jb = create(config, clock);
            Disposable input = packets.subscribe(jb::offer, jb::fail, jb::complete);
            return jb.frames().doFinally(s -> {
                input.dispose();
                jb.dispose();
            });
        });
    }

    /** The settings. */
    public JitterConfig config() {
        return config;
    }

    /** Offers one received packet; never blocks for long, never throws for bad packets (they are counted). */
    public synchronized void offer(MediaPacket packet) {
        if (disposed) {
            return;
        }
        total++;
        if (ended) {
            dropped++; // after complete(): counted, not played
            return;
        }
        if (packet == null || packet.payload() == null || packet.sequence() < 0 || packet.sequence() > 0xFFFFFFFFL
                || packet.timestamp() < 0 || packet.timestamp() > 0xFFFFFFFFL
                || !(packet.payload().length == 0 && packet.endOfTalk()
                || OpusDecoder.packetSamples(packet.payload(), 0, packet.payload().length,
                config.format().sampleRate()) == frameSamples)) {
            invalid++;
            return;
        }
        if (!anchored) {
            anchor(packet.timestamp(), 0);
        }
        int ticks = (int) (packet.timestamp() - baseTimestamp);
        if (ticks % MediaPacket.TICKS_PER_FRAME != 0) {
            invalid++;
            return;
        }
        long slot = ticks / MediaPacket.TICKS_PER_FRAME;
        long seq = packet.sequence();
        if (seen[(int) (seq & (seen.length - 1))] == seq) {
            repeated++;
            return;
        }
        if (slot >= nextSlot + config.windowFrames() || slot < nextSlot - config.windowFrames()) {
            if (++outOfWindow >= config.resetAfter()) {
                reset(packet);
                return;
            }
            if (slot >= nextSlot) {
                early++;
            } else {
                late++;
            }
            return;
        }
        outOfWindow = 0;
        if (slot < nextSlot) {
            pendingGrowth = Math.max(pendingGrowth, (int) (nextSlot - slot));
            if (++lateRun >= config.resetAfter() && delayFrames + pendingGrowth > config.maxDelayFrames()) {
                reset(packet); // the delay cannot absorb it (a sender slower than real time, a long stall)
                return;
            }
            late++;
            return;
        }
        lateRun = 0;
        Entry e = ring[(int) Math.floorMod(slot, (long) ring.length)];
        if (e.slot == slot) {
            repeated++;
            return;
        }
        if (e.slot != Long.MIN_VALUE) { // stale entry of a slot a window ago: cannot happen in-window, but be safe
            dropped++;
        }
        e.slot = slot;
        e.sequence = seq;
        e.payload = packet.payload();
        e.endOfTalk = packet.endOfTalk();
        seen[(int) (seq & (seen.length - 1))] = seq;
        highestSlot = Math.max(highestSlot, slot);
        int margin = (int) (slot - nextSlot);
        if (lossGuard > 0 && margin == 0) {
            pendingGrowth = Math.max(pendingGrowth, 1);
        }
        margins[marginPos] = margin;
        marginPos = (marginPos + 1) % margins.length;
        marginCount = Math.min(marginCount + 1, margins.length);
    }

    private void anchor(long timestamp, long slot) {
        anchored = true;
        started = true;
        baseTimestamp = timestamp - slot * MediaPacket.TICKS_PER_FRAME;
        nextSlot = slot - (delayFrames - 1);
        highestSlot = nextSlot - 1;
    }

    private void reset(MediaPacket packet) {
        clear();
        total--; // offer() counts it again
        offer(packet);
    }

    /**
     * Empties the buffer (buffered packets count as dropped), resets the decoder and the delay;
     * the next packet anchors a new timeline. Until then the output plays silence. The counters
     * stay.
     */
    public synchronized void reset() {
        if (!disposed && !ended) {
            clear();
        }
    }

    private void clear() {
        for (Entry e : ring) {
            if (e.slot != Long.MIN_VALUE) {
                dropped++;
                e.slot = Long.MIN_VALUE;
                e.payload = null;
            }
        }
        Arrays.fill(seen, -1);
        decoder.reset();
        lastSequence = -1;
        outOfWindow = 0;
        lateRun = 0;
        pendingGrowth = 0;
        marginCount = 0;
        concealRun = 0;
        delayFrames = config.baseDelayFrames();
        anchored = false;
        highestSlot = nextSlot - 1; // nothing buffered (isIdleAfterEndOfTalk reads it)
        talking = false;
        idleTicks = 0;
    }

    /**
     * Marks the end of the stream: buffered packets are still played, then the output completes;
     * packets offered afterwards count as dropped.
     */
    public synchronized void complete() {
        ended = true;
    }

    private synchronized void fail(Throwable t) {
        error = t;
        ended = true;
    }

    /**
     * The clocked output; supports one subscriber (use {@code share()} to fan out). Emits nothing
     * before the first packet; completes after {@link #complete()} once drained, or on
     * {@link #dispose()}.
     */
    public Flux<float[]> frames() {
        return Flux.defer(() -> {
            if (!subscribed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("JitterBuffer.frames() supports one subscriber; use share()"));
            }
            return Flux.interval(FRAME, FRAME, clock)
                    .<float[]>handle((t, sink) -> tick(sink))
                    .onBackpressureBuffer(config.outputBufferFrames(), f -> framesDropped.incrementAndGet(),
                            BufferOverflowStrategy.DROP_OLDEST);
        });
    }

    private synchronized void tick(SynchronousSink<float[]> sink) {
        if (disposed) {
            sink.complete();
            return;
        }
        if (!anchored) {
            if (ended) {
                finish(sink);
            } else if (started) { // after reset(): keep the clock audible
                sink.next(new float[frameLength]);
            }
            return;
        }
        if (talking && ++idleTicks > TALK_TIMEOUT_FRAMES) {
            talking = false;
        }
        if (lossGuard > 0) {
            lossGuard--;
        }
        float[] out = new float[frameLength];
        if (pendingGrowth > 0 && delayFrames < config.maxDelayFrames()) {
            pendingGrowth--;
            delayFrames++;
            marginCount = 0;
            stretch(out); // play a concealed frame without advancing
            sink.next(out);
            return;
        }
        pendingGrowth = 0;
        while (highestSlot - nextSlot + 1 > config.maxDelayFrames()) {
            skip();
        }
        delayFrames = Math.min(delayFrames, config.maxDelayFrames());
        if (marginCount == margins.length) {
            int min = Integer.MAX_VALUE;
            for (int m : margins) {
                min = Math.min(min, m);
            }
            // bounded by the real margins, not by the delay's bookkeeping: a stream anchored on a
            // late first packet runs ahead of its nominal delay, and must shrink all the same
            int excess = min - (config.minDelayFrames() - 1) - (lossGuard > 0 ? 1 : 0);
            if (excess >= 1) {
                for (int i = 0; i < excess; i++) {
                    skip();
                }
                delayFrames = Math.max(config.minDelayFrames(), delayFrames - excess);
                marginCount = 0;
            }
        }
        play(out, nextSlot);
        nextSlot++;
        sink.next(out);
        if (ended && highestSlot < nextSlot) {
            finish(sink);
        }
    }

    private void finish(SynchronousSink<float[]> sink) {
        if (error != null) {
            sink.error(error);
        } else {
            sink.complete();
        }
    }

    private Entry take(long slot) {
        Entry e = ring[(int) Math.floorMod(slot, (long) ring.length)];
        return e.slot == slot ? e : null;
    }

    private void release(Entry e) {
        e.slot = Long.MIN_VALUE;
        e.payload = null;
    }

    private void countSequence(long seq) {
        if (lastSequence >= 0) {
            int gap = (int) (seq - lastSequence) - 1;
            if (gap > 0 && gap < 0x10000) {
                lost += gap;
                lossGuard = LOSS_GUARD_TICKS;
            }
        }
        lastSequence = seq;
    }

    private void skip() {
        Entry e = take(nextSlot);
        if (e != null) {
            try {
                if (e.payload.length > 0) {
                    decoder.decode(e.payload, 0, e.payload.length, scratch); // keep the decoder's state continuous
                }
            } catch (OpusCodecException ex) {
                // counted as dropped below either way
            }
            played(e);
            countSequence(e.sequence);
            release(e);
            dropped++;
        }
        nextSlot++;
    }

    private void play(float[] out, long slot) {
        Entry e = take(slot);
        if (e != null) {
            try {
                if (e.payload.length > 0) {
                    decoder.decode(e.payload, 0, e.payload.length, out);
                }
                processed++;
                concealRun = 0;
                played(e);
            } catch (OpusCodecException ex) {
                invalid++;
                Arrays.fill(out, 0f);
            }
            countSequence(e.sequence);
            release(e);
            return;
        }
        conceal(out, slot);
    }

    /** A packet left the buffer in its slot (played or skipped): the talk state follows it. */
    private void played(Entry e) {
        idleTicks = 0;
        talking = !e.endOfTalk;
        endOfTalkPlayed = e.endOfTalk;
        if (e.endOfTalk) {
            concealRun = config.concealFrames(); // the sender stopped: silence, no concealment
        }
    }

    /**
     * Whether a talk spurt is playing: from a packet played in its slot until a packet with the
     * end-of-talk flag played or {@value #TALK_TIMEOUT_FRAMES} ticks passed without a packet.
     */
    public synchronized boolean isTalking() {
        return talking;
    }

    /** Nothing is buffered and the last packet played carried the end-of-talk flag (the sender stopped cleanly). */
    public synchronized boolean isIdleAfterEndOfTalk() {
        return endOfTalkPlayed && highestSlot < nextSlot;
    }

    private void stretch(float[] out) {
        if (lastSequence >= 0 && concealRun < config.concealFrames()) {
            try {
                decoder.conceal(out, frameSamples);
                concealed++;
            } catch (OpusCodecException ex) {
                Arrays.fill(out, 0f);
            }
        }
    }

    private void conceal(float[] out, long slot) {
        if (lastSequence < 0) {
            return; // before the first packet: silence
        }
        Entry next = null;
        for (long s = slot + 1; s <= highestSlot; s++) {
            next = take(s);
            if (next != null) {
                break;
            }
        }
        if (next != null && (int) (next.sequence - lastSequence) == 1) {
            concealRun = config.concealFrames(); // the sender was silent: play silence
            return;
        }
        try {
            if (next != null && next.slot == slot + 1) {
                decoder.recover(next.payload, 0, next.payload.length, out, frameSamples);
                recovered++;
                concealRun++;
            } else if (concealRun < config.concealFrames()) {
                decoder.conceal(out, frameSamples);
                concealed++;
                concealRun++;
            }
        } catch (OpusCodecException ex) {
            Arrays.fill(out, 0f);
        }
    }

    @Override
    public synchronized String toString() {
        return "JitterBuffer[next=" + nextSlot + ", highest=" + highestSlot + ", delay=" + delayFrames + ", ended=" + ended
                + ", " + stats() + "]";
    }

    /** A snapshot of the counters. */
    public synchronized AudioStreamStats stats() {
        return new AudioStreamStats(total, processed, early, late, dropped, invalid, repeated, lost);
    }

    /** Packets waiting to be played. */
    public synchronized int buffered() {
        int n = 0;
        for (Entry e : ring) {
            if (e.slot != Long.MIN_VALUE) {
                n++;
            }
        }
        return n;
    }

    /** The current playout delay (a multiple of 20 ms, between the configured minimum and maximum). */
    public synchronized Duration delay() {
        return FRAME.multipliedBy(delayFrames);
    }

    /** Frames a slow subscriber lost (oldest dropped beyond {@code outputBufferFrames}). */
    public long framesDroppedByBackpressure() {
        return framesDropped.get();
    }

    /** Missing frames rebuilt from the next packet's in-band FEC. */
    public synchronized long framesRecovered() {
        return recovered;
    }

    /** Frames synthesised by Opus PLC (gaps without FEC, and frames inserted to grow the delay). */
    public synchronized long framesConcealed() {
        return concealed;
    }

    /** Stops the clock at the next tick and completes the output; buffered packets are released. */
    @Override
    public void dispose() {
        disposed = true;
        synchronized (this) {
            for (Entry e : ring) {
                release(e);
            }
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
