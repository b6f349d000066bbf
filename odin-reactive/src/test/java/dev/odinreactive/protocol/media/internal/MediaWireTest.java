package dev.odinreactive.protocol.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKey;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MediaWireTest {

    private final MediaAead sealer = MediaAead.sealer(MediaKey.random(0xCAFEBABE, new SecureRandom()));

    @Test
    void headerFieldsRoundTripIncludingUnsignedExtremes() {
        byte[] d = TestDatagrams.media(sealer, Long.MAX_VALUE, 0xFFFF, 0xFFFFFFFF, 0x80000000,
                MediaWire.FLAG_END_OF_TALK, new byte[] {1, 2, 3});
        assertThat(MediaWire.precheck(d, d.length)).isNull();
        assertThat(MediaWire.type(d)).isEqualTo(MediaWire.TYPE_MEDIA);
        assertThat(MediaWire.flags(d)).isEqualTo(MediaWire.FLAG_END_OF_TALK);
        assertThat(MediaWire.keyId(d)).isEqualTo(0xCAFEBABE);
        assertThat(MediaWire.packetNumber(d)).isEqualTo(Long.MAX_VALUE);
        assertThat(MediaWire.mediaId(d)).isEqualTo(0xFFFF);
        assertThat(MediaWire.sequence(d)).isEqualTo(0xFFFFFFFF);
        assertThat(MediaWire.timestamp(d)).isEqualTo(0x80000000);
        assertThat(d.length).isEqualTo(MediaWire.MEDIA_HEADER + 3 + MediaWire.TAG);
    }

    @Test
    void controlDatagramHasFixedSize() {
        byte[] d = TestDatagrams.control(sealer, MediaWire.TYPE_PING, MediaWire.FLAG_PROBE, 7, 42);
        assertThat(d).hasSize(40);
        assertThat(MediaWire.precheck(d, d.length)).isNull();
    }

    @Test
    void truncated() {
        byte[] d = TestDatagrams.media(sealer, 1, 1, 1, 1, 0, new byte[0]);
        assertThat(MediaWire.precheck(d, 31)).isEqualTo(MediaDropReason.TRUNCATED);
        assertThat(MediaWire.precheck(d, 0)).isEqualTo(MediaDropReason.TRUNCATED);
        // long enough for a common header + tag but not for the media header + tag
        assertThat(MediaWire.precheck(d, MediaWire.MEDIA_HEADER + MediaWire.TAG - 1)).isEqualTo(MediaDropReason.TRUNCATED);
        assertThat(MediaWire.precheck(d, MediaWire.MEDIA_HEADER + MediaWire.TAG)).isNull();
        byte[] ping = TestDatagrams.control(sealer, MediaWire.TYPE_PING, 0, 2, 1);
        assertThat(MediaWire.precheck(ping, 39)).isEqualTo(MediaDropReason.TRUNCATED);
    }

    @Test
    void oversized() {
        byte[] big = TestDatagrams.media(sealer, 1, 1, 1, 1, 0, new byte[MediaWire.MAX_MEDIA_PAYLOAD]);
        assertThat(big).hasSize(MediaWire.MAX_DATAGRAM);
        assertThat(MediaWire.precheck(big, big.length)).isNull();
        byte[] tooBig = Arrays.copyOf(big, MediaWire.MAX_DATAGRAM + 1);
        assertThat(MediaWire.precheck(tooBig, tooBig.length)).isEqualTo(MediaDropReason.OVERSIZED);
    }

    @Test
    void badVersion() {
        byte[] d = TestDatagrams.media(sealer, 1, 1, 1, 1, 0, new byte[4]);
        d[0] = 2;
        assertThat(MediaWire.precheck(d, d.length)).isEqualTo(MediaDropReason.BAD_VERSION);
        d[0] = 0;
        assertThat(MediaWire.precheck(d, d.length)).isEqualTo(MediaDropReason.BAD_VERSION);
    }

    @Test
    void unknownType() {
        byte[] d = TestDatagrams.media(sealer, 1, 1, 1, 1, 0, new byte[4]);
        for (int t : new int[] {0, 6, 0x7F, 0xFF}) {
            d[1] = (byte) t;
            assertThat(MediaWire.precheck(d, d.length)).as("type %d", t).isEqualTo(MediaDropReason.UNKNOWN_TYPE);
        }
    }

    @Test
    void malformed() {
        byte[] d = TestDatagrams.media(sealer, 1, 1, 1, 1, 0, new byte[4]);
        byte[] reserved = d.clone();
        reserved[3] = 1;
        assertThat(MediaWire.precheck(reserved, d.length)).isEqualTo(MediaDropReason.MALFORMED);
        byte[] negativePn = d.clone();
        negativePn[8] = (byte) 0x80;
        assertThat(MediaWire.precheck(negativePn, d.length)).isEqualTo(MediaDropReason.MALFORMED);
        byte[] probeOnMedia = d.clone();
        probeOnMedia[2] = MediaWire.FLAG_PROBE;
        assertThat(MediaWire.precheck(probeOnMedia, d.length)).isEqualTo(MediaDropReason.MALFORMED);
        byte[] ping = TestDatagrams.control(sealer, MediaWire.TYPE_PING, 0, 2, 1);
        byte[] endOfTalkOnPing = ping.clone();
        endOfTalkOnPing[2] = MediaWire.FLAG_END_OF_TALK;
        assertThat(MediaWire.precheck(endOfTalkOnPing, ping.length)).isEqualTo(MediaDropReason.MALFORMED);
        byte[] longPing = Arrays.copyOf(ping, ping.length + 1);
        assertThat(MediaWire.precheck(longPing, longPing.length)).isEqualTo(MediaDropReason.MALFORMED);
    }

    @Test
    void directionOfTypes() {
        assertThat(MediaWire.expectedOnServer(MediaWire.TYPE_MEDIA)).isTrue();
        assertThat(MediaWire.expectedOnServer(MediaWire.TYPE_HELLO)).isTrue();
        assertThat(MediaWire.expectedOnServer(MediaWire.TYPE_PING)).isTrue();
        assertThat(MediaWire.expectedOnServer(MediaWire.TYPE_PONG)).isFalse();
        assertThat(MediaWire.expectedOnServer(MediaWire.TYPE_HELLO_ACK)).isFalse();
        assertThat(MediaWire.expectedOnClient(MediaWire.TYPE_PONG)).isTrue();
        assertThat(MediaWire.expectedOnClient(MediaWire.TYPE_HELLO_ACK)).isTrue();
        assertThat(MediaWire.expectedOnClient(MediaWire.TYPE_MEDIA)).isTrue();
        assertThat(MediaWire.expectedOnClient(MediaWire.TYPE_PING)).isFalse();
        assertThat(MediaWire.expectedOnClient(MediaWire.TYPE_HELLO)).isFalse();
    }
}
