package dev.odinreactive.protocol.media.internal;

import static dev.odinreactive.protocol.media.internal.ReplayWindow.DUPLICATE;
import static dev.odinreactive.protocol.media.internal.ReplayWindow.OK;
import static dev.odinreactive.protocol.media.internal.ReplayWindow.TOO_OLD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final ReplayWindow w = new ReplayWindow();

    @Test
    void firstPacketAndDuplicates() {
        assertThat(w.check(0)).isEqualTo(OK);
        assertThat(w.accept(0)).isEqualTo(OK);
        assertThat(w.accept(0)).isEqualTo(DUPLICATE);
        assertThat(w.check(0)).isEqualTo(DUPLICATE);
        assertThat(w.accept(-1)).isEqualTo(TOO_OLD);
    }

    @Test
    void checkDoesNotRecord() {
        assertThat(w.check(5)).isEqualTo(OK);
        assertThat(w.check(5)).isEqualTo(OK);
        assertThat(w.newest()).isEqualTo(-1);
    }

    @Test
    void exactWindowEdge() {
        long newest = 5000;
        assertThat(w.accept(newest)).isEqualTo(OK);
        assertThat(w.accept(newest - (ReplayWindow.SIZE - 1))).isEqualTo(OK); // oldest acceptable
        assertThat(w.accept(newest - ReplayWindow.SIZE)).isEqualTo(TOO_OLD);  // one too old
        assertThat(w.accept(newest - (ReplayWindow.SIZE - 1))).isEqualTo(DUPLICATE);
        // sliding by one makes the previous oldest too old
        assertThat(w.accept(newest + 1)).isEqualTo(OK);
        assertThat(w.check(newest - (ReplayWindow.SIZE - 1))).isEqualTo(TOO_OLD);
    }

    @Test
    void outOfOrderInsideTheWindowAcrossWordBoundaries() {
        for (long pn : new long[] {130, 63, 64, 127, 128, 0, 1, 65}) {
            assertThat(w.accept(pn)).as("pn %d", pn).isEqualTo(OK);
        }
        for (long pn : new long[] {130, 63, 64, 127, 128, 0, 1, 65}) {
            assertThat(w.check(pn)).as("pn %d", pn).isEqualTo(DUPLICATE);
        }
        assertThat(w.check(2)).isEqualTo(OK);
        assertThat(w.check(129)).isEqualTo(OK);
    }

    @Test
    void bigJumpClearsStaleBitsOfTheRing() {
        for (long pn = 0; pn < 2048; pn++) {
            w.accept(pn);
        }
        // jump by exactly the ring size (32 words = 2048 packets): bit positions alias the old ones
        long jump = 2047 + 2048;
        assertThat(w.accept(jump)).isEqualTo(OK);
        for (long pn = jump - ReplayWindow.SIZE + 1; pn < jump; pn++) {
            assertThat(w.check(pn)).as("pn %d", pn).isEqualTo(OK);
        }
        assertThat(w.accept(1L << 40)).isEqualTo(OK);
        assertThat(w.check((1L << 40) - 1)).isEqualTo(OK);
        assertThat(w.accept(Long.MAX_VALUE)).isEqualTo(OK);
        assertThat(w.accept(Long.MAX_VALUE)).isEqualTo(DUPLICATE);
        assertThat(w.check(Long.MAX_VALUE - ReplayWindow.SIZE)).isEqualTo(TOO_OLD);
    }

    @Test
    void agreesWithAReferenceModelOnRandomTraffic() {
        SplittableRandom r = new SplittableRandom(42);
        Set<Long> seen = new HashSet<>();
        long newest = -1;
        long base = 0;
        for (int i = 0; i < 200_000; i++) {
            base += r.nextInt(3);
            long pn = Math.max(0, base + r.nextInt(-1500, 40));
            if (r.nextInt(1000) == 0) {
                base += r.nextInt(5000);
            }
            int expected;
            if (pn > newest) {
                expected = OK;
            } else if (newest - pn >= ReplayWindow.SIZE) {
                expected = TOO_OLD;
            } else {
                expected = seen.contains(pn) ? DUPLICATE : OK;
            }
            assertThat(w.accept(pn)).as("step %d pn %d newest %d", i, pn, newest).isEqualTo(expected);
            if (expected == OK) {
                seen.add(pn);
                newest = Math.max(newest, pn);
            }
        }
    }
}
