package dev.odinreactive.audio.apm.internal;

import java.util.function.Supplier;

/**
 * One position of the chain: a stage that can be switched on and off while blocks flow. The
 * bypass is a delay line of the stage's latency, so the chain's latency never changes; a switch
 * cross-fades linearly over one block between the two paths, so nothing clicks and no sample is
 * lost or repeated.
 */
final class Slot {
    private Supplier<? extends Stage> factory;
    private final DelayLine bypass;
    private final float[] dry = new float[Stage.BLOCK];
    private final float[] lastIn = new float[Stage.BLOCK];
    private final float[] scratch = new float[Stage.BLOCK];
    private Stage stage;
    private boolean enabled;
    private int fade; // +1 fading in, -1 fading out, 0 steady

    Slot(Supplier<? extends Stage> factory, int latency) {
        this.factory = factory;
        this.bypass = new DelayLine(latency);
    }

    void setEnabled(boolean on) {
        if (on == enabled) {
            return;
        }
        enabled = on;
        if (on) {
            stage = factory.get();
            // prime the fresh stage with the previous block so its delayed output is real audio
            System.arraycopy(lastIn, 0, scratch, 0, Stage.BLOCK);
            stage.process(scratch);
            fade = 1;
        } else {
            fade = -1;
        }
    }

    void replaceFactory(Supplier<? extends Stage> f) {
        factory = f;
    }

    boolean enabled() {
        return enabled;
    }

    Stage stage() {
        return stage;
    }

    void process(float[] block) {
        System.arraycopy(block, 0, dry, 0, Stage.BLOCK);
        System.arraycopy(block, 0, lastIn, 0, Stage.BLOCK);
        bypass.process(dry);
        if (stage == null) {
            System.arraycopy(dry, 0, block, 0, Stage.BLOCK);
            return;
        }
        stage.process(block);
        if (fade != 0) {
            int n = Stage.BLOCK;
            for (int i = 0; i < n; i++) {
                float w = (i + 1f) / n;
                if (fade < 0) {
                    w = 1 - w;
                }
                block[i] = w * block[i] + (1 - w) * dry[i];
            }
            if (fade < 0) {
                stage = null;
            }
            fade = 0;
        }
    }
}
