package dev.odinreactive.examples.bots;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plays a clip into the room whenever a peer joins (by default the bundled {@link #welcome()}
 * clip, "Welcome to the room. Nice to have you here.", spoken by espeak-ng; see
 * {@code examples/bots/tools/make-welcome.sh}). Each announcement is a media of its own, paced in
 * real time, that ends with the clip; it starts with {@value #LEAD_IN_MS} ms of silence (not
 * sent) so the newcomer has subscribed to it before the first word. The bot keeps a handle to an
 * announcement only while it plays.
 *
 * <pre>java -cp ... dev.odinreactive.examples.bots.AnnouncerBot http://127.0.0.1:4433 $ODIN_ACCESS_KEY demo [CLIP.opus]</pre>
 */
public final class AnnouncerBot {

    static final int LEAD_IN_MS = 300;
    private static final Logger log = LoggerFactory.getLogger(AnnouncerBot.class);

    private final Room room;
    private final AudioClip clip;
    /** The announcements playing: each leaves when its clip ends (or it is cancelled). */
    private final Set<LocalMedia> playing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger announced = new AtomicInteger();
    private final Disposable events;

    private AnnouncerBot(Room room, AudioClip clip) {
        this.room = room;
        this.clip = clip;
        this.events = room.events().ofType(RoomEvent.PeerJoined.class).subscribe(this::announce);
    }

    /** Starts announcing {@code clip} (any rate, mono or stereo) to every peer that joins {@code room} from now on. */
    public static AnnouncerBot start(Room room, AudioClip clip) {
        return new AnnouncerBot(room, clip);
    }

    private void announce(RoomEvent.PeerJoined joined) {
        int channels = clip.format().channels();
        float[] samples = clip.samples();
        int chunk = clip.format().samplesPerChannel(20) * channels;
        Flux<float[]> leadIn = Flux.range(0, LEAD_IN_MS / 20).map(i -> new float[chunk]);
        Flux<float[]> words = Flux.range(0, (samples.length + chunk - 1) / chunk)
                .map(i -> Arrays.copyOfRange(samples, i * chunk, Math.min(samples.length, (i + 1) * chunk)));
        // forgotten before the media ends (the source's end reaches the media after this hook)
        LocalMedia[] self = new LocalMedia[1];
        Runnable forget = () -> playing.remove(self[0]);
        LocalMedia media = LocalMedia.paced(clip.format(), leadIn.concatWith(words).doOnTerminate(forget).doOnCancel(forget));
        self[0] = media;
        playing.add(media);
        announced.incrementAndGet();
        room.addMedia(media).subscribe(
                v -> { },
                e -> {
                    playing.remove(media);
                    log.warn("cannot greet peer {}: {}", joined.peer().id(), e.getMessage());
                },
                () -> log.info("greeting peer {} ({})", joined.peer().id(), joined.peer().userId()));
    }

    /** Number of announcements started so far. */
    public int announced() {
        return announced.get();
    }

    /** Number of announcements playing now (the handles the bot still keeps); for tests. */
    int playing() {
        return playing.size();
    }

    /** Stops announcing (and cuts any announcement short); completes when the room knows. */
    public Mono<Void> stop() {
        events.dispose();
        return Flux.fromIterable(playing).flatMap(LocalMedia::close).then();
    }

    /** The bundled clip, decoded (48 kHz mono, about 3 s). */
    public static AudioClip welcome() {
        try (InputStream in = AnnouncerBot.class.getResourceAsStream("welcome.opus")) {
            if (in == null) {
                throw new IllegalStateException("welcome.opus is missing from the classpath");
            }
            return OggOpusFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled clip: " + e.getMessage(), e);
        }
    }

    /** {@code AnnouncerBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) [CLIP.opus]}. */
    public static void main(String[] args) {
        BotMain.run(args, "announcer-bot", "AnnouncerBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) [CLIP.opus]", (room, rest) -> {
            AudioClip clip;
            try {
                clip = rest.isEmpty() ? welcome() : OggOpusFile.read(Path.of(rest.get(0)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + rest.get(0) + ": " + e.getMessage(), e);
            }
            return start(room, clip)::stop;
        });
    }
}
