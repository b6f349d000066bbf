package dev.odinreactive.protocol.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void countsLossAndReorderAcrossTheU32Wrap() {
        SequenceTracker t = new SequenceTracker();
        int start = 0xFFFFFFF0; // wraps after 16 packets
        for (int i = 0; i < 40; i++) {
            if (i == 5 || i == 20 || i == 21) {
                continue; // lost
            }
            if (i == 30) {
                continue; // arrives late, below
            }
            t.record(start + i);
            if (i == 33) {
                t.record(start + 30);
            }
        }
        assertThat(t.received()).isEqualTo(37);
        assertThat(t.lost()).isEqualTo(3);
        assertThat(t.reordered()).isEqualTo(1);
    }

    @Test
    void lateFirstPacketExtendsTheRange() {
        SequenceTracker t = new SequenceTracker();
        t.record(10);
        t.record(9);
        t.record(12);
        assertThat(t.received()).isEqualTo(3);
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.reordered()).isEqualTo(1);
    }

    @Test
    void emptyTrackerHasNoLoss() {
        assertThat(new SequenceTracker().lost()).isZero();
    }
}
