package dev.odinreactive.audio.resample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kaiser-windowed sinc low-pass, tabulated in polyphase form: {@code phases + 1} rows of
 * {@code taps} coefficients, row {@code p} for a fractional input position {@code p / phases}.
 * Tables are immutable and shared by every resampler with the same rate ratio.
 */
final class PolyphaseFilter {
    /** Most phases tabulated; ratios with a larger interpolation factor interpolate between rows. */
    static final int MAX_PHASES = 4096;
    /** Design stopband attenuation in dB (the Kaiser formula's A). */
    static final double ATTENUATION_DB = 110;
    /** Passband edge as a fraction of the lower rate. */
    static final double PASS_EDGE = 0.45;
    /** Stopband edge as a fraction of the lower rate (= its Nyquist: nothing aliases). */
    static final double STOP_EDGE = 0.50;

    private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

    final int phases;
    final int taps;
    /** Cutoff in cycles per input sample. */
    final double cutoff;
    /** rows[p * taps + j]; p in [0, phases]. */
    final float[] rows;

    private PolyphaseFilter(int up, int down) {
        double minOverIn = Math.min(1.0, (double) up / down); // lower rate / input rate
        double transition = (STOP_EDGE - PASS_EDGE) * minOverIn; // cycles per input sample
        cutoff = 0.5 * (PASS_EDGE + STOP_EDGE) * minOverIn;
        int n = (int) Math.ceil((ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        taps = n + (n & 1);
        phases = Math.min(up, MAX_PHASES);
        double beta = 0.1102 * (ATTENUATION_DB - 8.7);
        double i0beta = besselI0(beta);
        int half = taps / 2;
        int centre = half - 1;
        rows = new float[(phases + 1) * taps];
        for (int p = 0; p <= phases; p++) {
            double f = (double) p / phases;
            double[] row = new double[taps];
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                double t = j - centre - f;
                double x = t / half;
                double w = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0beta;
                double arg = 2 * cutoff * t;
                double sinc = Math.abs(arg) < 1e-12 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
                row[j] = 2 * cutoff * sinc * w;
                sum += row[j];
            }
            for (int j = 0; j < taps; j++) {
                rows[p * taps + j] = (float) (row[j] / sum); // unity DC gain on every phase
            }
        }
    }

    static PolyphaseFilter of(int up, int down) {
        return CACHE.computeIfAbsent(((long) up << 32) | down, k -> new PolyphaseFilter(up, down));
    }

    /**
     * Magnitude response (linear) of the prototype filter at {@code freq} cycles per input
     * sample, from all tabulated phases; 1.0 in the passband. For tests and documentation.
     */
    double response(double freq) {
        double re = 0;
        double im = 0;
        int centre = taps / 2 - 1;
        for (int p = 0; p < phases; p++) {
            double f = (double) p / phases;
            for (int j = 0; j < taps; j++) {
                double t = j - centre - f;
                double a = 2 * Math.PI * freq * t;
                double c = rows[p * taps + j];
                re += c * Math.cos(a);
                im -= c * Math.sin(a);
            }
        }
        return Math.hypot(re, im) / phases;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
