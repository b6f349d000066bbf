package dev.odinreactive.it.media;

import dev.odinreactive.audio.AudioFormat;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/** Test signals and their analysis: sine tones in odd-sized chunks, Goertzel power, RMS. */
final class Tones {

    private Tones() {
    }

    /** {@code seconds} of a sine at {@code hz}, amplitude 0.3, in chunks of {@code chunkFrames} (any size). */
    static Flux<float[]> tone(AudioFormat format, double hz, double seconds, int chunkFrames) {
        int total = (int) Math.round(seconds * format.sampleRate());
        int ch = format.channels();
        return Flux.range(0, (total + chunkFrames - 1) / chunkFrames).map(c -> {
            int start = c * chunkFrames;
            int n = Math.min(chunkFrames, total - start);
            float[] out = new float[n * ch];
            for (int i = 0; i < n; i++) {
                float v = (float) (0.3 * Math.sin(2 * Math.PI * hz * (start + i) / format.sampleRate()));
                for (int k = 0; k < ch; k++) {
                    out[i * ch + k] = v;
                }
            }
            return out;
        });
    }

    /** Goertzel power of {@code hz} in mono {@code x} at {@code rate}, normalised by length². */
    static double power(float[] x, double hz, int rate) {
        double w = 2 * Math.PI * hz / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (float v : x) {
            double s0 = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return p / ((double) x.length * x.length);
    }

    static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return x.length == 0 ? 0 : Math.sqrt(sum / x.length);
    }

    static float[] concat(List<float[]> frames) {
        int n = 0;
        for (float[] f : frames) {
            n += f.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] f : frames) {
            System.arraycopy(f, 0, out, o, f.length);
            o += f.length;
        }
        return out;
    }

    /**
     * Only the frames that carry sound (RMS above 0.01; the test tones have 0.21, but decoded
     * frames right after concealment are ramped up by the codec, so they may be quieter).
     */
    static List<float[]> sounding(List<float[]> frames) {
        List<float[]> out = new ArrayList<>();
        for (float[] f : frames) {
            if (rms(f) > 0.01) {
                out.add(f);
            }
        }
        return out;
    }

    /** Drops leading silent frames (before the stream started). */
    static List<float[]> fromFirstSound(List<float[]> frames) {
        List<float[]> out = new ArrayList<>();
        boolean started = false;
        for (float[] f : frames) {
            started |= rms(f) > 0.01;
            if (started) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The candidate (among {@code candidates}) with the strongest power in {@code x}, and how much
     * stronger it is than the runner-up (ratio).
     */
    static double[] strongest(float[] x, int rate, double[] candidates) {
        double best = -1;
        double bestHz = 0;
        double second = 0;
        for (double hz : candidates) {
            double p = power(x, hz, rate);
            if (p > best) {
                second = Math.max(second, best);
                best = p;
                bestHz = hz;
            } else {
                second = Math.max(second, p);
            }
        }
        return new double[] {bestHz, best / Math.max(second, 1e-12)};
    }
}
