package dev.odinreactive.audio.apm.internal;

/**
 * Fourth-order Butterworth high-pass at 80 Hz as two cascaded biquads (bilinear transform with
 * pre-warping; coefficients as in R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad
 * filter coefficients"). Gain: -16 dB at 50 Hz, -0.7 dB at 100 Hz, 0.000 dB at 1 kHz. No block delay.
 */
public final class HighPassStage implements Stage {
    public static final double CUTOFF_HZ = 80;
    private static final double[] Q = {0.54119610, 1.30656296}; // Butterworth 4th order pole pairs

    private final double[][] coef = new double[2][5];
    private final double[][] state = new double[2][2];

    public HighPassStage() {
        double w0 = 2 * Math.PI * CUTOFF_HZ / 48000;
        for (int s = 0; s < 2; s++) {
            double alpha = Math.sin(w0) / (2 * Q[s]);
            double cos = Math.cos(w0);
            double a0 = 1 + alpha;
            coef[s][0] = (1 + cos) / 2 / a0;
            coef[s][1] = -(1 + cos) / a0;
            coef[s][2] = (1 + cos) / 2 / a0;
            coef[s][3] = -2 * cos / a0;
            coef[s][4] = (1 - alpha) / a0;
        }
    }

    @Override
    public void process(float[] block) {
        for (int s = 0; s < 2; s++) {
            double b0 = coef[s][0], b1 = coef[s][1], b2 = coef[s][2], a1 = coef[s][3], a2 = coef[s][4];
            double z1 = state[s][0], z2 = state[s][1];
            for (int i = 0; i < block.length; i++) {
                double x = block[i];
                double y = b0 * x + z1;           // transposed direct form II
                z1 = b1 * x - a1 * y + z2;
                z2 = b2 * x - a2 * y;
                block[i] = (float) y;
            }
            state[s][0] = z1 + 1e-25 - 1e-25; // flushes denormals after long silence
            state[s][1] = z2 + 1e-25 - 1e-25;
        }
    }
}
