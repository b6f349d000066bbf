package dev.odinreactive.audio.apm.internal;

/**
 * Decision-directed a priori SNR (Ephraim and Malah, "Speech enhancement using a minimum
 * mean-square error short-time spectral amplitude estimator", IEEE TASSP 1984) and the MMSE
 * log-spectral amplitude gain (Ephraim and Malah, IEEE TASSP 1985), with Cohen's optimally
 * modified LSA floor weighting by speech presence (Cohen and Berdugo, Signal Processing 2001).
 */
public final class SpectralGain {
    private static final float ALPHA_DD = 0.98f;
    private static final float XI_MIN = (float) Math.pow(10, -25 / 10.0);

    private final int bins;
    private final float[] prevCleanPower;
    private final float[] xi;
    private final float[] gamma;
    private boolean first = true;

    public SpectralGain(int bins) {
        this.bins = bins;
        prevCleanPower = new float[bins];
        xi = new float[bins];
        gamma = new float[bins];
    }

    /** Updates a priori/a posteriori SNRs for this frame. */
    public void updateSnr(float[] power, float[] noise) {
        for (int k = 0; k < bins; k++) {
            float g = power[k] / noise[k];
            if (g > 1e4f) {
                g = 1e4f;
            }
            gamma[k] = g;
            float ml = Math.max(g - 1f, 0f);
            float x = first ? ml : ALPHA_DD * prevCleanPower[k] / noise[k] + (1 - ALPHA_DD) * ml;
            xi[k] = Math.max(x, XI_MIN);
        }
        first = false;
    }

    public float[] xi() {
        return xi;
    }

    public float[] gamma() {
        return gamma;
    }

    /**
     * Computes the LSA gains into {@code gain} with floor {@code gMin}, weighted by the presence
     * probability {@code p} (OM-LSA: G = G_LSA^p * gMin^(1-p)), and remembers the clean power.
     */
    public void gains(float[] power, float[] p, float gMin, float[] gain) {
        float logMin = (float) Math.log(gMin);
        for (int k = 0; k < bins; k++) {
            float x = xi[k];
            float v = x * gamma[k] / (1 + x);
            float g = (float) (x / (1 + x) * Math.exp(0.5 * expint(v)));
            if (g > 1f) {
                g = 1f;
            }
            float pk = p == null ? 1f : p[k];
            float gl = (float) Math.exp(pk * Math.log(Math.max(g, 1e-6f)) + (1 - pk) * logMin);
            gl = Math.max(gl, gMin);
            gain[k] = gl;
            float gc = g;
            prevCleanPower[k] = gc * gc * power[k];
        }
    }

    /** Exponential integral E1(v), v > 0 (Abramowitz and Stegun 5.1.53 / 5.1.56). */
    static double expint(double v) {
        if (v < 1e-8) {
            v = 1e-8;
        }
        if (v <= 1) {
            return -Math.log(v) - 0.57721566 + v * (0.99999193 + v * (-0.24991055
                    + v * (0.05519968 + v * (-0.00976004 + v * 0.00107857))));
        }
        if (v > 30) {
            return 0;
        }
        double num = v * v + 2.334733 * v + 0.250621;
        double den = v * v + 3.330657 * v + 1.681534;
        return num / den / (v * Math.exp(v));
    }

    public void reset() {
        first = true;
    }
}
