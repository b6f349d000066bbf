package dev.odinreactive.examples.bots;

import static dev.odinreactive.examples.bots.LoopbackRoom.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A peer sends a tone; the echo bot, joining while it plays, sends it back: the peer hears the same
 * tone. When the peer stops, the echo ends and the bot forgets it.
 */
class EchoBotTest {

    @Test
    void aTalkerHearsItsToneBack() {
        try (LoopbackRoom server = new LoopbackRoom()) {
            LoopbackRoom.warmUp();
            Room alice = server.join("alice");
            LocalMedia tone = LoopbackRoom.tone(660, 8000);
            alice.addMedia(tone).block(WAIT); // alice talks before the bot arrives
            Room botRoom = server.join("echo-bot");

            // what alice hears of the bot: up to 0.5 s of loud frames once the echo is under way (until it ends)
            Mono<float[]> heard = alice.events().ofType(RoomEvent.MediaAdded.class)
                    .filter(m -> m.peerId() == botRoom.ownPeerId())
                    .next()
                    .flatMapMany(m -> m.media().frames())
                    .filter(f -> LoopbackRoom.rms(f, 0, f.length) > 0.1f)
                    .skip(3)
                    .take(25)
                    .collectList()
                    .map(LoopbackRoom::concat)
                    .cache();
            heard.subscribe();
            EchoBot bot = EchoBot.start(botRoom); // finds alice's media in the room's snapshot

            float[] echo = heard.block(WAIT.multipliedBy(2));
            assertThat(echo.length).as("loud samples heard back").isGreaterThanOrEqualTo(10 * LoopbackRoom.FRAME);
            double at660 = LoopbackRoom.power(echo, 660);
            for (double other : List.of(440.0, 880.0, 1320.0)) {
                assertThat(at660).as("660 Hz vs %s Hz", other).isGreaterThan(100 * LoopbackRoom.power(echo, other));
            }
            assertThat(LoopbackRoom.rms(echo, 0, echo.length)).as("about the level sent (0.5 / sqrt 2; concealed frames are quieter)").isBetween(0.15f, 0.45f);
            assertThat(bot.echoed()).isEqualTo(1);
            assertThat(bot.running()).isEqualTo(1);

            // alice stops talking: the echo ends with her media, and the bot keeps no handle to it.
            // The bot forgets the echo before the echo's end reaches the room, so once alice hears
            // the echo removed the bot's count is final
            Mono<RoomEvent.MediaRemoved> echoRemoved = alice.events().ofType(RoomEvent.MediaRemoved.class)
                    .filter(m -> m.peerId() == botRoom.ownPeerId()).next().cache();
            echoRemoved.subscribe();
            tone.close().block(WAIT);
            assertThat(echoRemoved.block(WAIT)).isNotNull();
            assertThat(bot.running()).as("echoes still held after the echoed media ended").isZero();
            assertThat(bot.echoed()).isEqualTo(1);
            bot.stop().block(WAIT);
        }
    }
}
