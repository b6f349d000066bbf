package dev.odinreactive.examples.bots;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Records a room: the mix to {@code mix.EXT} and each peer to {@code peer-USER-PEERID.EXT} (EXT
 * {@code opus}: Ogg Opus, {@code wav}: 16-bit WAV; 48 kHz mono). The room's audio clock drives
 * every file: on each tick of {@link Room#mix()} every file gets exactly one 20 ms frame — the
 * peer's audio, or silence while it is quiet, before it joined and after it left — so all files
 * have the same length and stay in sync to the frame. The files also keep the wall-clock length
 * when the clock cannot (a starved machine): if it falls more than {@value #SLACK_FRAMES} frames
 * behind wall time, silence fills the gap in every file; frames of a catch-up burst that would
 * run more than that ahead are left out (both counted: {@link #framesFilled()}, {@link #framesSkipped()}).
 *
 * <p>Backpressure: a peer's frames wait for the next tick in a queue of {@value #PEER_FRAMES}
 * (oldest dropped beyond, which only happens if its frames and the clock drift apart); each file
 * is written on {@code boundedElastic} behind a queue of {@value #FILE_FRAMES} frames (about
 * 20 s); should a disk fall further behind, frames are dropped and counted ({@link #framesDropped()}).
 *
 * <pre>java -cp ... dev.odinreactive.examples.bots.RecorderBot http://127.0.0.1:4433 $ODIN_ACCESS_KEY demo recordings opus</pre>
 */
public final class RecorderBot {

    static final int PEER_FRAMES = 4;
    static final int SLACK_FRAMES = 5;
    private static final long FRAME_NANOS = 20_000_000L;
    static final int FILE_FRAMES = 1024;

    private final Path dir;
    private final String extension;
    private final Map<Long, String> userIds = new ConcurrentHashMap<>();
    private final Queue<RemoteMedia> added = new ConcurrentLinkedQueue<>();
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong filled = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final Disposable events;
    private final Mono<List<Path>> done;
    // touched on the clock thread only (the room's audio thread; ticks and the end are serialised)
    private final Track mix;
    private final Map<Long, Track> peers = new LinkedHashMap<>();
    private final Set<RemoteMedia> listening = new HashSet<>();
    private long ticks;   // frames in every file so far
    private int frameLength;

    private RecorderBot(Room room, Path dir, String extension) {
        this.dir = dir;
        this.extension = extension;
        this.mix = new Track(dir.resolve("mix." + extension), 0, 0);
        this.events = room.events().subscribe(this::onEvent);
        added.addAll(room.remoteMedias().values()); // medias already there (events only announce new ones)
        Sinks.One<List<Path>> finished = Sinks.one();
        room.mix().takeUntilOther(stop.asMono()).subscribe(this::tick, e -> end(finished), () -> end(finished));
        this.done = finished.asMono().cache();
    }

    /** Starts recording {@code room} into {@code dir} (which must exist) as {@code opus} or {@code wav} files. */
    public static RecorderBot start(Room room, Path dir, String extension) {
        if (!extension.equals("opus") && !extension.equals("wav")) {
            throw new IllegalArgumentException("extension must be opus or wav, not " + extension);
        }
        return new RecorderBot(room, dir, extension);
    }

    private void onEvent(RoomEvent e) {
        if (e instanceof RoomEvent.Joined j) {
            j.peers().forEach(p -> userIds.put(p.id(), p.userId()));
        } else if (e instanceof RoomEvent.PeerJoined j) {
            userIds.put(j.peer().id(), j.peer().userId());
        } else if (e instanceof RoomEvent.MediaAdded a) {
            added.add(a.media()); // the clock thread picks it up on its next tick
        }
    }

    /** One tick of the room's audio clock: one frame to every file (kept within the slack of wall time). */
    private void tick(float[] mixed) {
        frameLength = mixed.length;
        long due = (System.nanoTime() - startNanos) / FRAME_NANOS + 1; // frames wall time asks for, this one included
        if (ticks >= due + SLACK_FRAMES) {
            skipped.incrementAndGet();
            return;
        }
        fillUpTo(due - SLACK_FRAMES);
        for (RemoteMedia media; (media = added.poll()) != null; ) {
            if (!listening.add(media)) {
                continue; // in the snapshot and announced
            }
            long peer = media.peerId();
            String user = userIds.getOrDefault(peer, "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
            peers.computeIfAbsent(peer, p -> new Track(dir.resolve("peer-" + user + "-" + p + "." + extension), ticks, mixed.length))
                    .listen(media);
        }
        mix.write(mixed);
        peers.values().forEach(t -> t.write(t.next(mixed.length)));
        ticks++;
    }

    /** Silence in every file until it holds {@code frames} frames (the clock stalled). */
    private void fillUpTo(long frames) {
        for (; ticks < frames && frameLength > 0; ticks++) {
            mix.write(new float[frameLength]);
            peers.values().forEach(t -> t.write(new float[frameLength]));
            filled.incrementAndGet();
        }
    }

    private void end(Sinks.One<List<Path>> finished) {
        fillUpTo((System.nanoTime() - startNanos) / FRAME_NANOS);
        List<Mono<Path>> files = new ArrayList<>();
        files.add(mix.finish());
        peers.values().forEach(t -> files.add(t.finish()));
        Flux.mergeSequential(files).collectList().subscribe(finished::tryEmitValue, finished::tryEmitError);
    }

    /** Stops recording; emits the files (mix first) once they are final. */
    public Mono<List<Path>> stop() {
        events.dispose();
        stop.tryEmitEmpty();
        return done;
    }

    /** Frames of silence written because the room's clock fell behind wall time. */
    public long framesFilled() {
        return filled.get();
    }

    /** Clock ticks left out because a catch-up burst ran ahead of wall time. */
    public long framesSkipped() {
        return skipped.get();
    }

    /** Frames lost because a file writer fell 20 s behind (0 on a healthy disk). */
    public long framesDropped() {
        return dropped.get();
    }

    /** One file: its writer, fed one frame per tick, and the medias of its peer. */
    private final class Track {
        private final Path file;
        private final Sinks.Many<float[]> frames = Sinks.many().unicast().onBackpressureBuffer(Queues.<float[]>get(FILE_FRAMES).get());
        private final Mono<Long> written;
        private final List<Source> sources = new ArrayList<>();

        /** A file that starts with {@code silentTicks} frames of silence: the time before its peer appeared. */
        Track(Path file, long silentTicks, int frameLength) {
            this.file = file;
            Flux<float[]> before = Flux.range(0, (int) silentTicks).map(i -> new float[frameLength]);
            this.written = Flux.concat(before, frames.asFlux()).as(writer(file)).cache();
            written.subscribe(n -> { }, e -> { });
        }

        void listen(RemoteMedia media) {
            Source s = new Source();
            sources.add(s);
            // until stop(): a stopped bot in a room that lives on keeps no subscription to a media still talking
            media.frames().takeUntilOther(stop.asMono()).subscribe(s::offer, e -> s.ended = true, () -> s.ended = true);
        }

        /** The peer's frame for this tick: the sum of its medias' next frames, silence if none. */
        float[] next(int length) {
            float[] sum = new float[length];
            for (Iterator<Source> it = sources.iterator(); it.hasNext(); ) {
                Source s = it.next();
                float[] f = s.pending.poll();
                if (f != null) {
                    for (int i = 0; i < Math.min(length, f.length); i++) {
                        sum[i] += f[i];
                    }
                } else if (s.ended) {
                    it.remove();
                }
            }
            return sum;
        }

        void write(float[] frame) {
            if (frames.tryEmitNext(frame).isFailure()) {
                dropped.incrementAndGet();
            }
        }

        Mono<Path> finish() {
            frames.tryEmitComplete();
            return written.thenReturn(file);
        }
    }

    /** A media's frames waiting for the next tick. */
    private static final class Source {
        final Queue<float[]> pending = new ArrayBlockingQueue<>(PEER_FRAMES);
        volatile boolean ended;

        void offer(float[] frame) {
            while (!pending.offer(frame)) {
                pending.poll(); // the oldest goes: keeps the peer in step with the clock
            }
        }
    }

    private static Function<Flux<float[]>, Mono<Long>> writer(Path file) {
        return file.toString().endsWith(".wav")
                ? WavFile.sink(file, AudioFormat.OPUS_MONO, WavEncoding.PCM16)
                : OggOpusFile.sink(file, OpusConfig.defaults());
    }

    /** {@code RecorderBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) [DIR [opus|wav]]}. */
    public static void main(String[] args) {
        BotMain.run(args, "recorder-bot", "RecorderBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) [DIR [opus|wav]]", (room, rest) -> {
            Path dir = Path.of(rest.isEmpty() ? "." : rest.get(0));
            RecorderBot bot = start(room, dir, rest.size() > 1 ? rest.get(1) : "opus");
            System.out.println("recording into " + dir.toAbsolutePath());
            return bot::stop;
        });
    }
}
