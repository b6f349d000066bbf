package dev.odinreactive.examples.bots;

import static dev.odinreactive.examples.bots.LoopbackRoom.FRAME;
import static dev.odinreactive.examples.bots.LoopbackRoom.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Alice talks (440 Hz), leaves the air, then Bob joins and talks (1 kHz): the recorder's three
 * files have the same length, that of the wall-clock time it recorded, and each peer's tone is
 * in its own file at the time it was said.
 */
class RecorderBotTest {

    @TempDir
    Path dir;

    @Test
    void everyFileHasTheWallClockLengthAndItsPeersToneInStep() throws Exception {
        try (LoopbackRoom server = new LoopbackRoom()) {
            LoopbackRoom.warmUp();
            Room recorderRoom = server.join("recorder");
            Flux<RoomEvent.MediaRemoved> removed = recorderRoom.events().ofType(RoomEvent.MediaRemoved.class).replay().autoConnect(0);
            long start = System.nanoTime();
            RecorderBot recorder = RecorderBot.start(recorderRoom, dir, "opus");

            server.join("alice").addMedia(LoopbackRoom.tone(440, 1500)).block(WAIT);
            removed.next().block(WAIT);
            server.join("bob").addMedia(LoopbackRoom.tone(1000, 1500)).block(WAIT);
            removed.elementAt(1).block(WAIT);
            double wall = (System.nanoTime() - start) / 1e9;
            List<Path> files = recorder.stop().block(WAIT);

            assertThat(files).hasSize(3);
            assertThat(files.get(0).getFileName()).hasToString("mix.opus");
            AudioClip mix = OggOpusFile.read(files.get(0));
            AudioClip alice = OggOpusFile.read(files.stream().filter(f -> f.toString().contains("peer-alice-")).findFirst().orElseThrow());
            AudioClip bob = OggOpusFile.read(files.stream().filter(f -> f.toString().contains("peer-bob-")).findFirst().orElseThrow());
            assertThat(alice.samples()).hasSameSizeAs(mix.samples());
            assertThat(bob.samples()).hasSameSizeAs(mix.samples());
            assertThat(mix.seconds()).as("wall clock %.2f s (%d frames filled, %d skipped)", wall, recorder.framesFilled(),
                    recorder.framesSkipped()).isBetween(wall - 0.3, wall + 0.15);
            assertThat(recorder.framesDropped()).isZero();

            assertThat(LoopbackRoom.power(alice.samples(), 440)).isGreaterThan(100 * LoopbackRoom.power(alice.samples(), 1000));
            assertThat(LoopbackRoom.power(bob.samples(), 1000)).isGreaterThan(100 * LoopbackRoom.power(bob.samples(), 440));
            int[] aliceLoud = loudFrames(alice);
            int[] bobLoud = loudFrames(bob);
            // 1.5 s of tone each = 75 frames (fewer if a starved machine lost some)
            assertThat(aliceLoud.length).as("Alice's tone").isBetween(10, 80);
            assertThat(bobLoud.length).as("Bob's tone").isBetween(10, 80);
            assertThat(bobLoud[0]).as("Bob talked after Alice stopped").isGreaterThan(aliceLoud[aliceLoud.length - 1]);
            for (int frame : new int[] {aliceLoud[aliceLoud.length / 2], bobLoud[bobLoud.length / 2]}) {
                assertThat(frameRms(mix, frame)).as("the mix has each tone when it was said").isGreaterThan(0.1f);
            }
            assertThat(frameRms(alice, bobLoud[bobLoud.length / 2])).as("Alice silent while Bob talks").isLessThan(0.01f);
        }
    }

    @Test
    void unknownFileTypeIsRefused() {
        assertThatThrownBy(() -> RecorderBot.start(null, dir, "mp3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opus or wav");
    }

    private static int[] loudFrames(AudioClip clip) {
        return IntStream.range(0, clip.samples().length / FRAME).filter(i -> frameRms(clip, i) > 0.2f).toArray();
    }

    private static float frameRms(AudioClip clip, int frame) {
        return LoopbackRoom.rms(clip.samples(), frame * FRAME, (frame + 1) * FRAME);
    }
}
