package dev.odinreactive.audio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test signals, measurements and external-tool helpers shared by odin-audio tests and (through
 * odin-audio's test-jar) the benchmarks.
 */
public final class Signals {
    private Signals() {
    }

    /** Interleaved sine, same phase on every channel. */
    public static float[] sine(AudioFormat fmt, double hz, double amplitude, int samplesPerChannel) {
        float[] s = new float[samplesPerChannel * fmt.channels()];
        for (int i = 0; i < samplesPerChannel; i++) {
            float v = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / fmt.sampleRate()));
            for (int c = 0; c < fmt.channels(); c++) {
                s[i * fmt.channels() + c] = v;
            }
        }
        return s;
    }

    /**
     * The integration tests' speech-like signal (src/it SpeechQuality.voice) at 48 kHz mono: 12
     * harmonics with 1/h amplitude of a fundamental {@code f0} with a 3 Hz vibrato, 4 Hz syllable
     * envelope between 0.2 and 1. Opus (VOIP, 32 kbit/s) codes its quieter half-syllables as
     * inactive/unvoiced SILK frames without LBRR, where Concentus's concealment is weakest.
     */
    public static float[] voice(double seconds, double f0) {
        int n = (int) Math.round(seconds * 48_000);
        float[] out = new float[n];
        double vib = 20.0 / 140 * f0;
        for (int i = 0; i < n; i++) {
            double t = i / 48_000.0;
            double phase = 2 * Math.PI * (f0 * t - vib / (2 * Math.PI * 3) * Math.cos(2 * Math.PI * 3 * t));
            double v = 0;
            for (int h = 1; h <= 12; h++) {
                v += Math.sin(h * phase) / h;
            }
            out[i] = (float) (v * 0.12 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)));
        }
        return out;
    }

    /** Root mean square of a whole array. */
    public static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return x.length == 0 ? 0 : Math.sqrt(s / x.length);
    }

    /**
     * Voiced-speech-like mono signal: 12 harmonics of a gliding 110–190 Hz pitch with a formant
     * tilt and a 4 Hz syllable envelope.
     */
    public static float[] speechLike(int rate, int samples) {
        float[] s = new float[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / rate;
            double f0 = 150 + 40 * Math.sin(2 * Math.PI * 1.3 * t);
            phase += 2 * Math.PI * f0 / rate;
            double v = 0;
            for (int h = 1; h <= 12; h++) {
                double fh = f0 * h;
                double formant = Math.exp(-Math.pow((fh - 700) / 500, 2)) + 0.5 * Math.exp(-Math.pow((fh - 1500) / 600, 2));
                v += (0.15 + formant) / h * Math.sin(h * phase);
            }
            double env = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            s[i] = (float) (0.3 * env * v);
        }
        return s;
    }

    /** Pearson correlation of a[i + lag] with b[i] over the overlap. */
    public static double correlation(float[] a, float[] b, int lag) {
        int start = Math.max(0, -lag);
        int end = Math.min(b.length, a.length - lag);
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int i = start; i < end; i++) {
            double x = a[i + lag], y = b[i];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
            n++;
        }
        double cov = sab - sa * sb / n;
        return cov / Math.sqrt((saa - sa * sa / n) * (sbb - sb * sb / n));
    }

    /** Lag in [-maxLag, maxLag] maximising the correlation of {@code a} shifted against {@code b}. */
    public static int bestLag(float[] a, float[] b, int maxLag) {
        int best = 0;
        double bestC = -2;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = correlation(a, b, lag);
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return best;
    }

    /** SNR in dB of {@code test} against {@code ref} over [from, to). */
    public static double snrDb(float[] ref, float[] test, int from, int to) {
        double s = 0, e = 0;
        for (int i = from; i < to; i++) {
            s += (double) ref[i] * ref[i];
            double d = ref[i] - test[i];
            e += d * d;
        }
        return 10 * Math.log10(s / e);
    }

    /** SNR in dB of {@code test} shifted by {@code lag} ({@code test[i + lag]} against {@code ref[i]}). */
    public static double snrDbAtLag(float[] ref, float[] test, int lag) {
        double s = 0, e = 0;
        int start = Math.max(0, -lag);
        int end = Math.min(ref.length, test.length - lag);
        for (int i = start; i < end; i++) {
            s += (double) ref[i] * ref[i];
            double d = ref[i] - test[i + lag];
            e += d * d;
        }
        return 10 * Math.log10(s / e);
    }

    /** Energy of {@code x[from, to)}. */
    public static double energy(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return e;
    }

    /** One channel of interleaved audio. */
    public static float[] channel(float[] interleaved, int channels, int c) {
        float[] out = new float[interleaved.length / channels];
        for (int i = 0; i < out.length; i++) {
            out[i] = interleaved[i * channels + c];
        }
        return out;
    }

    /**
     * Runs an external tool and returns its combined output; fails the test with an install hint
     * when the tool is missing (CI installs opus-tools and sox through .ci/run).
     */
    public static String run(String... command) throws IOException, InterruptedException {
        requireTool(command[0]);
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** Fails (never skips) if {@code tool} is not on the PATH. */
    public static void requireTool(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")));
        for (String d : dirs) {
            if (new java.io.File(d, tool).canExecute()) {
                return;
            }
        }
        throw new AssertionError("'" + tool + "' is not installed; this interop test needs Debian's opus-tools/sox: "
                + "apt-get install -y opus-tools sox (.ci/run installs them)");
    }
}
