package dev.odinreactive.protocol.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void burstOfCapacityThenOnePerInterval() {
        long t = 123_456_789L;
        TokenBucket b = new TokenBucket(50, 100, t);
        for (int i = 0; i < 100; i++) {
            assertThat(b.tryTake(t)).as("token %d", i).isTrue();
        }
        assertThat(b.tryTake(t)).isFalse();
        assertThat(b.tryTake(t + 19 * MS)).isFalse();
        assertThat(b.tryTake(t + 20 * MS)).isTrue();
        assertThat(b.tryTake(t + 20 * MS)).isFalse();
    }

    @Test
    void steadyFiftyPerSecondNeverDrops() {
        long t = 0;
        TokenBucket b = new TokenBucket(50, 100, t);
        for (int i = 0; i < 10_000; i++) {
            assertThat(b.tryTake(t)).isTrue();
            t += 20 * MS;
        }
    }

    @Test
    void doubleRateLosesHalfOnceTheBurstIsSpent() {
        long t = 0;
        TokenBucket b = new TokenBucket(50, 100, t);
        int passed = 0;
        for (int i = 0; i < 1000; i++) { // 100 packets/s for 10 s
            if (b.tryTake(t)) {
                passed++;
            }
            t += 10 * MS;
        }
        assertThat(passed).isBetween(100 + 500 - 1, 100 + 500 + 1);
    }

    @Test
    void longIdleRefillsOnlyToCapacityAndClockGoingBackIsHarmless() {
        TokenBucket b = new TokenBucket(50, 100, 0);
        for (int i = 0; i < 100; i++) {
            b.tryTake(0);
        }
        long later = 3_600_000 * MS;
        int passed = 0;
        for (int i = 0; i < 200; i++) {
            if (b.tryTake(later)) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(100);
        assertThat(b.tryTake(later - 1000 * MS)).isFalse();
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> new TokenBucket(0, 100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(50, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
