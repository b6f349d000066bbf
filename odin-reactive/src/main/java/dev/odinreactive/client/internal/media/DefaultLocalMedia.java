package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.apm.ApmFrame;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.audio.resample.Resampler;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.LocalMediaStats;
import dev.odinreactive.protocol.media.MediaPacket;
import dev.odinreactive.protocol.media.MediaTransport;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The pipeline of a {@link LocalMedia}: runs on the room's audio thread from the bounded
 * hand-off on. State other than the counters and the binding is touched by that thread only.
 */
public final class DefaultLocalMedia implements LocalMedia {

    /** Chunks buffered between the source and the audio thread (drop oldest beyond). */
    static final int HANDOFF_CHUNKS = 8;
    private static final float SILENCE_PEAK = 1e-4f; // -80 dBFS
    private static final int HANGOVER_FRAMES = 15;    // 300 ms
    /**
     * In-band FEC on (each packet carries a low-rate copy of the previous frame, which the
     * receiver's jitter buffer decodes when that frame was lost), tuned for 10 % expected loss
     * rather than ODIN's 15 %: on the speech-like signal of FecSweepIT (docs/benchmarks.md, "Voice
     * quality under loss") 10 % leaves more bits for the signal and is better at every loss rate
     * measured (mean log-spectral distance 2.85 vs 3.24 dB at no loss, 3.22 vs 3.54 at 10 %,
     * 3.68 vs 3.87 at 20 %; FEC off: 2.16, 3.09, 4.26).
     */
    static final int FEC_EXPECTED_LOSS_PERCENT = 10;
    /**
     * ODIN's encoder settings (48 kHz mono 20 ms, VOIP, 32 kbit/s, in-band FEC) at complexity 3:
     * Concentus (pure Java) at complexity 10 costs several times the CPU for little gain on
     * 32 kbit/s speech, and a client may run many medias.
     */
    static final OpusConfig OPUS = OpusConfig.defaults().withComplexity(3).withFec(true, FEC_EXPECTED_LOSS_PERCENT);

    private record Binding(MediaTransport transport, int mediaId) {
    }

    private final AudioFormat format;
    private final Flux<float[]> source;
    private final boolean paced;
    private final Map<String, Object> properties;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicLong chunksIn = new AtomicLong(), chunksDropped = new AtomicLong(), frames = new AtomicLong(),
            sent = new AtomicLong(), notSent = new AtomicLong(), spurts = new AtomicLong();
    private volatile Binding binding;
    private volatile MediaSession session;
    private volatile Disposable pipeline;
    private volatile boolean active;
    private volatile boolean ended;
    private volatile boolean removed;

    // audio-thread state
    private OpusEncoder encoder;
    private int sequence;
    private int timestamp;
    private int hangover;

    public DefaultLocalMedia(AudioFormat format, Flux<float[]> source, boolean paced, Map<String, Object> properties) {
        this.format = Objects.requireNonNull(format, "format");
        this.source = Objects.requireNonNull(source, "source");
        this.paced = paced;
        this.properties = Map.copyOf(properties);
    }

    @Override
    public AudioFormat format() {
        return format;
    }

    @Override
    public int id() {
        Binding b = binding;
        return b == null ? 0 : b.mediaId;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public LocalMediaStats stats() {
        return new LocalMediaStats(chunksIn.get(), chunksDropped.get(), frames.get(), sent.get(), notSent.get(), spurts.get());
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            MediaSession s = session;
            return s == null ? Mono.fromRunnable(() -> ended = true) : s.remove(this);
        });
    }

    Map<String, Object> properties() {
        return properties;
    }

    /** Marks the media as added to a room; false if it already was. */
    boolean claim() {
        return claimed.compareAndSet(false, true) && !ended;
    }

    /** Marks the media as removed from its room: it is not bound to a connection again. */
    void markRemoved() {
        removed = true;
    }

    boolean isRemoved() {
        return removed;
    }

    void bind(MediaTransport transport, int mediaId) {
        binding = new Binding(transport, mediaId);
    }

    void unbind() {
        binding = null;
    }

    /** Subscribes the pipeline (once). */
    void start(MediaSession s, Function<Flux<float[]>, Flux<ApmFrame>> apm) {
        this.session = s;
        Scheduler dsp = s.dsp();
        Flux<float[]> in = paced ? pace(source, dsp) : source;
        Flux<float[]> counted = in.doOnNext(c -> chunksIn.incrementAndGet());
        Flux<float[]> mono48 = paced
                // the pacer only releases what the audio thread requested (it catches up after a stall)
                ? counted.publishOn(dsp, HANDOFF_CHUNKS)
                : liveHandOff(counted, dsp, chunksDropped::incrementAndGet);
        if (format.channels() == 2) {
            mono48 = mono48.transform(Frames.convertChannels(2, 1));
        }
        if (format.sampleRate() != 48_000) {
            mono48 = mono48.transform(Resampler.resampling(format.withChannels(1), 48_000));
        }
        pipeline = mono48
                .transform(Frames.reframe(AudioFormat.OPUS_MONO, 20, Frames.Tail.PAD))
                .transform(apm == null ? DefaultLocalMedia::passThrough : apm)
                .subscribe(this::onFrame, e -> finish(), this::finish);
    }

    /**
     * Live sources never wait for the audio thread: at most {@link #HANDOFF_CHUNKS} chunks wait
     * for it ({@code HANDOFF_CHUNKS - 1} in the drop-oldest buffer plus the one {@code publishOn}
     * holds with prefetch 1; a larger prefetch would add its queue to the bound); older ones are
     * dropped and reported to {@code onDrop}.
     */
    static Flux<float[]> liveHandOff(Flux<float[]> in, Scheduler dsp, Runnable onDrop) {
        return in.onBackpressureBuffer(HANDOFF_CHUNKS - 1, c -> onDrop.run(), BufferOverflowStrategy.DROP_OLDEST)
                .publishOn(dsp, 1);
    }

    /** Releases each chunk when its time has come (sources faster than real time). */
    private Flux<float[]> pace(Flux<float[]> src, Scheduler dsp) {
        long perSecond = (long) format.sampleRate() * format.channels();
        return Flux.defer(() -> {
            long start = System.nanoTime();
            long[] samples = {0};
            return src.concatMap(chunk -> {
                long due = start + samples[0] * 1_000_000_000L / perSecond;
                samples[0] += chunk.length;
                long wait = due - System.nanoTime();
                return wait <= 0 ? Mono.just(chunk) : Mono.delay(Duration.ofNanos(wait), dsp).thenReturn(chunk);
            }, 1);
        });
    }

    /** Without APM: talking = not digital silence, with 300 ms hang-over. */
    static Flux<ApmFrame> passThrough(Flux<float[]> frames) {
        return frames.map(f -> {
            float peak = 0;
            for (float v : f) {
                peak = Math.max(peak, Math.abs(v));
            }
            return new ApmFrame(f, Float.NaN, peak > 0 ? (float) (20 * Math.log10(peak)) : -120f, peak > SILENCE_PEAK);
        });
    }

    private void onFrame(ApmFrame f) {
        frames.incrementAndGet();
        boolean talk = f.talking();
        if (talk) {
            hangover = HANGOVER_FRAMES;
        } else if (active && hangover > 0) {
            hangover--;
            talk = true;
        }
        if (talk) {
            if (!active) {
                active = true;
                spurts.incrementAndGet();
                notifyActive(true);
            }
            send(encoder().encode(f.samples()), false);
        } else if (active) {
            active = false;
            send(encoder().encode(f.samples()), true); // the last packet of the spurt
            notifyActive(false);
        }
        timestamp += 1800;
    }

    private OpusEncoder encoder() {
        if (encoder == null) {
            encoder = new OpusEncoder(OPUS);
        }
        return encoder;
    }

    private void send(byte[] payload, boolean endOfTalk) {
        Binding b = binding;
        if (b == null) {
            notSent.incrementAndGet();
            return;
        }
        boolean ok;
        try {
            ok = b.transport.send(new MediaPacket(b.mediaId, sequence++, timestamp, endOfTalk, payload));
        } catch (RuntimeException e) {
            ok = false;
        }
        (ok ? sent : notSent).incrementAndGet();
    }

    private void notifyActive(boolean on) {
        MediaSession s = session;
        Binding b = binding;
        if (s != null && b != null) {
            s.localActive(b.mediaId, on);
        }
    }

    /** Audio thread: the source ended (or the pipeline was stopped): close the spurt, tell the room. */
    private void finish() {
        endSpurtAndReleaseEncoder();
        if (!ended) {
            ended = true;
            MediaSession s = session;
            if (s != null) {
                s.remove(this).subscribe();
            }
        }
    }

    /** Stops the pipeline; the final end-of-talk goes out on the audio thread. */
    void stop() {
        ended = true;
        Disposable p = pipeline;
        if (p != null) {
            p.dispose();
            MediaSession s = session;
            if (s != null) {
                s.dsp().schedule(this::endSpurtAndReleaseEncoder);
            }
        }
    }

    /** Audio thread: sends the end-of-talk of a running spurt, then closes the encoder. */
    private void endSpurtAndReleaseEncoder() {
        if (active) {
            active = false;
            send(new byte[0], true);
            notifyActive(false);
        }
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }

    @Override
    public String toString() {
        return "LocalMedia[id=" + id() + ", " + format + (active ? ", active" : "") + "]";
    }
}
