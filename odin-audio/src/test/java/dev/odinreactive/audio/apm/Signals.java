package dev.odinreactive.audio.apm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import reactor.core.publisher.Flux;

/** Synthetic test signals and measurements (also used by the APM's internal tests). */
public final class Signals {
    public static final int FS = 48000;
    public static final int F = 480;

    private Signals() {
    }

    public static float[] sine(double hz, double dbfsRms, int samples) {
        float[] x = new float[samples];
        double a = Math.sqrt(2) * Math.pow(10, dbfsRms / 20);
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (a * Math.sin(2 * Math.PI * hz * i / FS));
        }
        return x;
    }

    public static float[] noise(long seed, double dbfsRms, int samples) {
        Random r = new Random(seed);
        float[] x = new float[samples];
        double a = Math.pow(10, dbfsRms / 20);
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (a * r.nextGaussian());
        }
        return x;
    }

    /**
     * A crude voiced-speech stand-in: 250 ms syllables of a harmonic complex whose pitch glides
     * between 110 and 170 Hz, separated by 120 ms pauses (near silence).
     */
    public static float[] voiced(double dbfsRms, int samples) {
        float[] x = new float[samples];
        double phase = 0;
        int syl = FS * 370 / 1000, on = FS / 4, ramp = FS / 100;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / FS;
            double f0 = 140 + 30 * Math.sin(2 * Math.PI * 1.3 * t);
            phase += 2 * Math.PI * f0 / FS;
            int pos = i % syl;
            double env = pos >= on ? 0 : Math.min(1, Math.min(pos, on - pos) / (double) ramp);
            double v = 0;
            for (int h = 1; h <= 20; h++) {
                v += Math.sin(h * phase) / h;
            }
            x[i] = (float) (v * env);
        }
        return scale(x, dbfsRms);
    }

    /** {@link #voiced} scaled so that its non-silent samples have the given RMS level. */
    public static float[] voicedAtActiveLevel(double dbfsRms, int samples) {
        float[] x = voiced(0, samples);
        double p = 0;
        int active = 0;
        for (float v : x) {
            if (v != 0) {
                p += v * v;
                active++;
            }
        }
        double g = Math.pow(10, dbfsRms / 20) / Math.sqrt(p / active);
        for (int i = 0; i < samples; i++) {
            x[i] *= (float) g;
        }
        return x;
    }

    public static float[] scale(float[] x, double dbfsRms) {
        double g = Math.pow(10, dbfsRms / 20) / Math.sqrt(power(x, 0, x.length));
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) g;
        }
        return x;
    }

    public static float[] add(float[] a, float[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] y = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, y, o, p.length);
            o += p.length;
        }
        return y;
    }

    public static double power(float[] x, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p += (double) x[i] * x[i];
        }
        return p / Math.max(1, to - from);
    }

    public static double db(double power) {
        return 10 * Math.log10(power + 1e-30);
    }

    /** {@code x} cut into whole frames of {@code frame} samples (a trailing partial frame is left out). */
    public static List<float[]> split(float[] x, int frame) {
        List<float[]> l = new ArrayList<>();
        for (int o = 0; o + frame <= x.length; o += frame) {
            float[] f = new float[frame];
            System.arraycopy(x, o, f, 0, frame);
            l.add(f);
        }
        return l;
    }

    public static Flux<float[]> frames(float[] x, int frame) {
        return Flux.fromIterable(split(x, frame));
    }

    public static float[] join(List<float[]> frames) {
        return concat(frames.toArray(new float[0][]));
    }
}
