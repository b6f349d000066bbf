package dev.odinreactive.client.internal.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.protocol.media.MediaPacket;
import org.junit.jupiter.api.Test;

class PlayoutBufferTest {

    private final OpusEncoder encoder = new OpusEncoder(OpusConfig.defaults().withComplexity(1));
    private final float[] out = new float[PlayoutBuffer.FRAME];

    private MediaPacket packet(int seq, boolean endOfTalk) {
        float[] f = new float[960];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * (seq * 960 + i) / 48_000.0));
        }
        return new MediaPacket(7, seq, seq * 1800, endOfTalk, encoder.encode(f));
    }

    @Test
    void countsLossDuplicatesLateAndInvalidExactly() {
        PlayoutBuffer b = new PlayoutBuffer();
        b.offer(packet(0, false));
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.STARTED);
        b.offer(packet(2, false));                       // 1 is missing
        b.offer(packet(2, false));                       // duplicate
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO); // 1: lost, recovered by FEC/PLC
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO); // 2
        b.offer(packet(1, false));                       // arrives after its slot
        b.offer(new MediaPacket(7, 3, 3 * 1800, false, new byte[] {0x00, 1, 2})); // a 10 ms Opus packet: not ours
        b.offer(packet(3, true));
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.ENDED);
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.SILENT);

        assertThat(b.total).isEqualTo(6);
        assertThat(b.processed).isEqualTo(3);
        assertThat(b.lost).isEqualTo(1);
        assertThat(b.repeated).isEqualTo(1);
        assertThat(b.tooLate).isEqualTo(1);
        assertThat(b.invalid).isEqualTo(1);
        assertThat(b.total).isEqualTo(b.processed + b.repeated + b.tooLate + b.invalid + b.tooEarly + b.dropped);
    }

    @Test
    void anUnderrunWaitsForTheLatePacketThenTimesOut() {
        PlayoutBuffer b = new PlayoutBuffer();
        b.offer(packet(0, false));
        b.tick(out, true);
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO); // underrun: concealed, waiting
        b.offer(packet(1, false));
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO); // played, not late
        assertThat(b.tooLate).isZero();
        assertThat(b.processed).isEqualTo(2);
        PlayoutBuffer.Tick t = PlayoutBuffer.Tick.AUDIO;
        int ticks = 0;
        while (t != PlayoutBuffer.Tick.ENDED && ticks < 20) {
            t = b.tick(out, true);
            ticks++;
        }
        assertThat(t).isEqualTo(PlayoutBuffer.Tick.ENDED);
        assertThat(ticks).isEqualTo(11); // 10 concealed slots, then the stream counts as ended
    }

    @Test
    void aRemovedMediaHasDrainedOnlyOnceItsEndOfTalkPlayed() {
        PlayoutBuffer b = new PlayoutBuffer();
        assertThat(b.idleAfterEndOfTalk()).as("nothing received yet").isFalse();
        b.offer(packet(0, false));
        b.offer(packet(1, false));
        b.offer(packet(2, true));                        // the tail, buffered when MediaRemoved arrives
        assertThat(b.idleAfterEndOfTalk()).isFalse();
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.STARTED);
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO);
        assertThat(b.idleAfterEndOfTalk()).isFalse();
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.ENDED);
        assertThat(b.idleAfterEndOfTalk()).isTrue();
        assertThat(b.processed).isEqualTo(3);

        PlayoutBuffer timedOut = new PlayoutBuffer();
        timedOut.offer(packet(0, false));
        PlayoutBuffer.Tick t = timedOut.tick(out, true);
        while (t != PlayoutBuffer.Tick.ENDED) {
            t = timedOut.tick(out, true);
        }
        assertThat(timedOut.idleAfterEndOfTalk()).as("ended by underrun: the end-of-talk may still be in flight").isFalse();
    }

    @Test
    void sequenceNumbersWrapAround() {
        PlayoutBuffer b = new PlayoutBuffer();
        b.offer(packet(-1, false)); // 0xFFFFFFFF
        b.tick(out, true);
        b.offer(packet(0, false));  // wraps to 2^32
        assertThat(b.tick(out, true)).isEqualTo(PlayoutBuffer.Tick.AUDIO);
        assertThat(b.processed).isEqualTo(2);
        assertThat(b.lost).isZero();
    }
}
