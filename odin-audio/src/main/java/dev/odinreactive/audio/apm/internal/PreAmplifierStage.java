package dev.odinreactive.audio.apm.internal;

/**
 * Fixed pre-amplification with a soft knee above -3 dBFS so boosted peaks never clip
 * (tanh-shaped above the knee). No delay.
 */
public final class PreAmplifierStage implements Stage {
    private static final float KNEE = 0.7f;
    private static final float CEIL_SPAN = 0.99f - KNEE;   // output never exceeds 0.99
    private final float gain;

    public PreAmplifierStage(float gainDb) {
        this.gain = (float) Math.pow(10, gainDb / 20.0);
    }

    @Override
    public void process(float[] block) {
        for (int i = 0; i < block.length; i++) {
            float y = block[i] * gain;
            float a = Math.abs(y);
            if (a > KNEE) {
                float over = (a - KNEE) / (1 - KNEE);
                y = Math.copySign(KNEE + CEIL_SPAN * (float) Math.tanh(over * (1 - KNEE) / CEIL_SPAN), y);
            }
            block[i] = y;
        }
    }
}
