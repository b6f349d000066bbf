package dev.odinreactive.protocol.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MediaKeyTest {

    @Test
    void toStringNeverRevealsTheSecret() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        MediaKey key = new MediaKey(-1, secret);
        MediaKeys keys = new MediaKeys(key, MediaKey.random(2, new SecureRandom()));
        String hex = HexFormat.of().formatHex(secret);
        assertThat(key.toString()).contains("4294967295").contains("redacted").doesNotContain(hex);
        assertThat(keys.toString()).doesNotContain(hex);
        assertThat(keys.sessionId()).isEqualTo(-1);
    }

    @Test
    void secretIsCopiedBothWays() {
        byte[] secret = new byte[16];
        MediaKey key = new MediaKey(1, secret);
        secret[0] = 9;
        assertThat(key.secret()[0]).isZero();
        key.secret()[1] = 9;
        assertThat(key.secret()[1]).isZero();
        assertThat(key).isEqualTo(new MediaKey(1, new byte[16])).isNotEqualTo(new MediaKey(2, new byte[16]));
    }

    @Test
    void wrongLengthIsATypedError() {
        assertThatThrownBy(() -> new MediaKey(1, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
    }
}
