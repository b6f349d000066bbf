package dev.odinreactive.audio.apm.internal;

/**
 * Hysteresis with hang-over: engages when the value reaches {@code attack}, disengages once it has
 * stayed below {@code release} for the hang-over time. Used for the VAD (speech probability) and
 * the volume gate (RMS dBFS).
 */
public final class TalkDecision {
    /** ODIN-like hang-over: 300 ms in 10 ms blocks. */
    public static final int HANGOVER_BLOCKS = 30;

    private float attack;
    private float release;
    private boolean open;
    private int below;

    public TalkDecision(float attack, float release) {
        set(attack, release);
    }

    public void set(float attack, float release) {
        this.attack = attack;
        this.release = release;
    }

    public boolean update(float value) {
        if (value >= attack) {
            open = true;
            below = 0;
        } else if (open) {
            if (value < release) {
                if (++below >= HANGOVER_BLOCKS) {
                    open = false;
                    below = 0;
                }
            } else {
                below = 0;
            }
        }
        return open;
    }

    public boolean isOpen() {
        return open;
    }
}
