package dev.odinreactive.protocol.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InboundDatagramsTest {

    private final SecureRandom random = new SecureRandom();
    private final MediaKey key = MediaKey.random(77, random);
    private final MediaAead sealer = MediaAead.sealer(key);
    private final MediaAead opener = MediaAead.opener(key);
    private final ReplayWindow window = new ReplayWindow();
    private final DropCounters drops = new DropCounters();
    private final byte[] plain = new byte[MediaWire.MAX_DATAGRAM];

    private int open(byte[] d) {
        MediaDropReason pre = MediaWire.precheck(d, d.length);
        if (pre != null) {
            drops.increment(pre);
            return -1;
        }
        int n = InboundDatagrams.open(d, d.length, opener, window, plain, 0);
        if (n < 0) {
            drops.increment(InboundDatagrams.reason(n));
        }
        return n < 0 ? -1 : n;
    }

    @Test
    void opensAndReturnsThePayload() {
        byte[] opus = {10, 20, 30, 40, 50};
        byte[] d = TestDatagrams.media(sealer, sealer.nextPacketNumber(), 3, 100, 1800, 0, opus);
        assertThat(open(d)).isEqualTo(5);
        assertThat(Arrays.copyOf(plain, 5)).containsExactly(opus);
        assertThat(drops.total()).isZero();
    }

    @Test
    void forgedCiphertextIsRejectedAndDoesNotMoveTheWindow() {
        byte[] d = TestDatagrams.media(sealer, 5, 3, 100, 1800, 0, new byte[] {1, 2, 3});
        byte[] forged = d.clone();
        forged[MediaWire.MEDIA_HEADER] ^= 1;
        assertThat(open(forged)).isEqualTo(-1);
        assertThat(drops.get(MediaDropReason.AUTH_FAILED)).isEqualTo(1);
        assertThat(window.newest()).isEqualTo(-1);
        // the genuine datagram with the same packet number still goes through
        assertThat(open(d)).isEqualTo(3);
    }

    @Test
    void tamperedHeaderTagOrWrongKeyFailAuthentication() {
        byte[] d = TestDatagrams.media(sealer, 1, 3, 100, 1800, 0, new byte[] {1, 2, 3});
        byte[] media = d.clone();
        media[17] ^= 1; // media id is associated data
        byte[] flags = d.clone();
        flags[2] = MediaWire.FLAG_END_OF_TALK;
        byte[] tag = d.clone();
        tag[tag.length - 1] ^= (byte) 0x80;
        byte[] other = TestDatagrams.media(MediaAead.sealer(MediaKey.random(77, random)), 2, 3, 100, 1800, 0, new byte[] {1, 2, 3});
        assertThat(open(media)).isEqualTo(-1);
        assertThat(open(flags)).isEqualTo(-1);
        assertThat(open(tag)).isEqualTo(-1);
        assertThat(open(other)).isEqualTo(-1);
        assertThat(drops.snapshot()).isEqualTo(Map.of(MediaDropReason.AUTH_FAILED, 4L));
    }

    @Test
    void replayedAndTooOld() {
        byte[] first = TestDatagrams.media(sealer, 0, 3, 1, 0, 0, new byte[] {1});
        assertThat(open(first)).isEqualTo(1);
        assertThat(open(first)).isEqualTo(-1);
        assertThat(drops.get(MediaDropReason.REPLAYED)).isEqualTo(1);
        byte[] far = TestDatagrams.media(sealer, ReplayWindow.SIZE, 3, 2, 0, 0, new byte[] {1});
        assertThat(open(far)).isEqualTo(1);
        assertThat(open(first)).isEqualTo(-1);
        assertThat(drops.get(MediaDropReason.TOO_OLD)).isEqualTo(1);
    }

    @Test
    void controlDatagramsCarryTheirEcho() {
        byte[] ping = TestDatagrams.control(sealer, MediaWire.TYPE_PING, MediaWire.FLAG_PROBE, 9, 0x0123456789ABCDEFL);
        assertThat(open(ping)).isEqualTo(8);
        assertThat(MediaWire.readLong(plain, 0)).isEqualTo(0x0123456789ABCDEFL);
    }

    @Test
    void garbageNeverThrowsAndIsAlwaysCounted() {
        SplittableRandom r = new SplittableRandom(1234);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            byte[] g = new byte[r.nextInt(0, 1300)];
            for (int j = 0; j < g.length; j++) {
                g[j] = (byte) r.nextInt(256);
            }
            if (i % 2 == 0 && g.length > 16) { // half look structurally right, to reach the AEAD
                g[0] = 1;
                g[1] = (byte) (1 + r.nextInt(5));
                g[2] = 0;
                g[3] = 0;
                g[8] &= 0x7F;
            }
            assertThat(open(g)).isEqualTo(-1);
        }
        assertThat(drops.total()).isEqualTo(n);
        assertThat(drops.get(MediaDropReason.AUTH_FAILED)).isPositive();
        assertThat(window.newest()).isEqualTo(-1);
    }
}
