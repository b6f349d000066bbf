package dev.odinreactive.examples.bots;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plays back what each peer says: every remote media of the room goes straight back into the
 * room as a media of the bot's own, so each talker hears themself again, one round trip later.
 * An echo ends with the media it echoes, and the bot then forgets both (a long-running bot keeps
 * handles only to the echoes still running). Uses the client's default output format (48 kHz mono).
 *
 * <pre>java -cp ... dev.odinreactive.examples.bots.EchoBot http://127.0.0.1:4433 $ODIN_ACCESS_KEY demo</pre>
 */
public final class EchoBot {

    private static final Logger log = LoggerFactory.getLogger(EchoBot.class);

    private final Room room;
    /** The running echoes: an entry leaves when the echoed media's frames end (or the echo is cancelled). */
    private final Map<RemoteMedia, LocalMedia> echoes = new ConcurrentHashMap<>();
    private final AtomicInteger echoed = new AtomicInteger();
    private final Disposable events;

    private EchoBot(Room room) {
        this.room = room;
        this.events = room.events().ofType(RoomEvent.MediaAdded.class).subscribe(a -> echo(a.media()));
        room.remoteMedias().values().forEach(this::echo); // medias already there (events only announce new ones)
    }

    /** Starts echoing every media in {@code room}, present and future. */
    public static EchoBot start(Room room) {
        return new EchoBot(room);
    }

    private void echo(RemoteMedia media) {
        // live: one frame per tick. The entry is forgotten before the echo ends (the source's end
        // reaches the media after this hook), so once the room knows the echo ended it is gone here
        Runnable forget = () -> echoes.remove(media);
        LocalMedia echo = LocalMedia.create(AudioFormat.OPUS_MONO,
                media.frames().doOnTerminate(forget).doOnCancel(forget));
        if (echoes.putIfAbsent(media, echo) != null) {
            return; // in the snapshot and announced
        }
        echoed.incrementAndGet();
        room.addMedia(echo).subscribe(
                v -> { },
                e -> {
                    echoes.remove(media);
                    log.warn("cannot echo media {} of peer {}: {}", media.id(), media.peerId(), e.getMessage());
                },
                () -> log.info("echoing media {} of peer {} as media {}", media.id(), media.peerId(), echo.id()));
    }

    /** Number of medias echoed so far. */
    public int echoed() {
        return echoed.get();
    }

    /** Number of echoes running now (the handles the bot still keeps); for tests. */
    int running() {
        return echoes.size();
    }

    /** Stops echoing; completes when the room knows every echo stopped. */
    public Mono<Void> stop() {
        events.dispose();
        return Flux.fromIterable(echoes.values()).flatMap(LocalMedia::close).then();
    }

    /** {@code EchoBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN)}. */
    public static void main(String[] args) {
        BotMain.run(args, "echo-bot", "EchoBot GATEWAY_URL (ACCESS_KEY ROOM | TOKEN)", (room, rest) -> start(room)::stop);
    }
}
