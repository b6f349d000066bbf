package dev.odinreactive.it.media;

import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.apm.internal.RealFft;
import java.util.Arrays;
import java.util.List;

/**
 * A speech-like test signal and a simple, documented quality proxy for what a receiver heard.
 *
 * <p><b>Signal</b> ({@link #voice}): a voiced "vowel" at 48 kHz — 12 harmonics with 1/h amplitude
 * of a fundamental gliding 120–160 Hz (3 Hz vibrato), syllable-like amplitude modulation at 4 Hz
 * (never silent, so the talk decision stays on). Opus in VOIP mode codes it as speech (SILK or
 * hybrid), with in-band FEC.
 *
 * <p><b>Why spectral, not waveform SNR:</b> Opus at 32 kbit/s does not keep the waveform's phase
 * (measured: the best-aligned waveform correlation of a clean decode is 0.80 for this signal, 0.18
 * for a pure tone), so waveform SNR says little about loss. Instead, per 20 ms frame of what was
 * heard, {@link #compare} computes the <b>log-spectral distance</b> (LSD, dB; 0 = identical band
 * energies, lower is better) to the sent signal over 20 bands of 100–4000 Hz (40 ms Hann window,
 * band energies floored at −40 dB below the frame's strongest band), after alignment:
 * <ol>
 *   <li>a global lag (heard index − sent index) from the onset, searched in 5 ms steps over
 *       ±100 ms by the mean LSD of the first 0.5 s;</li>
 *   <li>the jitter buffer changes the delay only in whole 20 ms frames (it stretches or skips
 *       frames), so each frame picks among lags {@code global + k·20 ms}, k ∈ [−3, 12], the one
 *       with the lowest LSD, and then the majority choice of the surrounding 300 ms is used (a
 *       concealed frame cannot pick a lag of its own that flatters it).</li>
 * </ol>
 * Reported: the mean LSD, the share of "bad" frames (LSD &gt; {@value #BAD_LSD_DB} dB, the order of a
 * clearly audible spectral error), and gaps (silent frames, RMS below −60 dBFS, between the first
 * and last sounding frame; the signal's quietest frames have RMS ≈ 0.02, concealed ones fade). Not PESQ/POLQA; it ranks conditions and catches gaps, wrong or
 * distorted audio.
 */
final class SpeechQuality {

    static final double BAD_LSD_DB = 6.0;
    /** A frame quieter than this (−60 dBFS) inside a talk spurt is a gap (the signal never is). */
    static final double GAP_RMS = 0.001;
    private static final int RATE = 48_000;
    private static final int FRAME = 960;
    private static final int WINDOW = 1920;
    private static final int FFT = 2048;
    private static final int HOP = 240; // 5 ms: resolution of the sent signal's spectra
    private static final int BANDS = 20;
    private static final int[] EDGES = bandEdges();
    private static final float[] HANN = hann();

    private SpeechQuality() {
    }

    /**
     * What was heard, compared with what was sent.
     *
     * @param frames      20 ms frames compared (first to last sounding frame)
     * @param meanLsdDb   mean log-spectral distance
     * @param p90LsdDb    90th percentile of the per-frame LSD
     * @param badPercent  frames with LSD above {@value #BAD_LSD_DB} dB, in percent
     * @param gaps        silent frames between the first and last sounding frame
     * @param lagSteps    times the chosen alignment moved by whole frames (jitter-buffer stretch/skip)
     * @param ltasLsdDb   LSD between the long-term average spectra (all frames that are not gaps
     *                    vs the whole signal sent): needs no alignment, so it says whether what was
     *                    heard is the signal sent even when skips and stretches confuse step 2
     */
    record Report(int frames, double meanLsdDb, double p90LsdDb, double badPercent, int gaps, int lagSteps,
                  double ltasLsdDb) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d frames, LSD mean %.2f dB, p90 %.2f dB, bad %.1f %%, gaps %d, lag steps %d, long-term LSD %.2f dB",
                    frames, meanLsdDb, p90LsdDb, badPercent, gaps, lagSteps, ltasLsdDb);
        }
    }

    /**
     * Runs the Opus encoder (LocalMedia's settings) and decoder (decode, FEC, PLC) over 5 s of the
     * signal, so that a test's real-time sender does not start with interpreted codec code (a cold
     * JIT on a loaded machine makes the first seconds slower than real time).
     */
    static void warmUpCodec() {
        float[] x = voice(5, 140);
        dev.odinreactive.audio.opus.OpusEncoder enc = new dev.odinreactive.audio.opus.OpusEncoder(
                dev.odinreactive.audio.opus.OpusConfig.defaults().withComplexity(3).withFec(true, 10));
        dev.odinreactive.audio.opus.OpusDecoder dec = dev.odinreactive.audio.opus.OpusDecoder.createDefault();
        float[] out = new float[960];
        for (int i = 0; i + 960 <= x.length; i += 960) {
            byte[] p = enc.encode(Arrays.copyOfRange(x, i, i + 960));
            if (i % 9600 == 0) {
                dec.recover(p, 0, p.length, out, 960);
                dec.conceal(out, 960);
            }
            dec.decode(p, 0, p.length, out);
        }
    }

    /** {@code seconds} of the speech-like signal at 48 kHz mono ({@link Signals#voice}); {@code f0} shifts the pitch (140 Hz default). */
    static float[] voice(double seconds, double f0) {
        return Signals.voice(seconds, f0);
    }

    /** Compares heard 20 ms frames (48 kHz mono, leading silence allowed) with the sent signal. */
    static Report compare(float[] sent, List<float[]> heardFrames) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < heardFrames.size(); i++) {
            if (Tones.rms(heardFrames.get(i)) > 0.01) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return new Report(0, Double.NaN, Double.NaN, 100, 0, 0, Double.NaN);
        }
        int gaps = 0;
        for (int i = first; i <= last; i++) {
            gaps += Tones.rms(heardFrames.get(i)) > GAP_RMS ? 0 : 1;
        }
        float[] heard = Tones.concat(heardFrames);
        RealFft fft = new RealFft(FFT);
        // spectra of the sent signal every 5 ms
        int refCount = Math.max(0, (sent.length - WINDOW) / HOP + 1);
        double[][] ref = new double[refCount][];
        for (int r = 0; r < refCount; r++) {
            ref[r] = bands(fft, sent, r * HOP);
        }
        int count = last - first + 1;
        double[][] got = new double[count][];
        for (int j = 0; j < count; j++) {
            int start = (first + j) * FRAME - FRAME / 2; // window centred on the frame
            got[j] = start >= 0 && start + WINDOW <= heard.length ? bands(fft, heard, start) : null;
        }
        // 1. global lag (heard start − sent start, in samples; a multiple of HOP)
        int onset = first * FRAME - FRAME / 2;
        int bestLag = onset;
        double bestScore = Double.MAX_VALUE;
        for (int lag = onset - 20 * HOP; lag <= onset + 20 * HOP; lag += HOP) {
            double sum = 0;
            int n = 0;
            for (int j = 0; j < Math.min(25, count); j++) {
                double d = lsdAt(got[j], ref, (first + j) * FRAME - FRAME / 2 - lag);
                if (!Double.isNaN(d)) {
                    sum += d;
                    n++;
                }
            }
            if (n > 10 && sum / n < bestScore) {
                bestScore = sum / n;
                bestLag = lag;
            }
        }
        // 2. per frame: the best k of lag + k·20 ms, then the majority over ±7 frames
        int kMin = -3;
        int kMax = 12;
        int[] choice = new int[count];
        for (int j = 0; j < count; j++) {
            double best = Double.MAX_VALUE;
            choice[j] = Integer.MIN_VALUE;
            for (int k = kMin; k <= kMax; k++) {
                double d = lsdAt(got[j], ref, (first + j) * FRAME - FRAME / 2 - bestLag - k * FRAME);
                if (!Double.isNaN(d) && d < best) {
                    best = d;
                    choice[j] = k;
                }
            }
        }
        double[] lsd = new double[count];
        int n = 0;

        int steps = 0;
        int previous = Integer.MIN_VALUE;
        for (int j = 0; j < count; j++) {
            int[] votes = new int[kMax - kMin + 1];
            for (int i = Math.max(0, j - 7); i <= Math.min(count - 1, j + 7); i++) {
                if (choice[i] != Integer.MIN_VALUE) {
                    votes[choice[i] - kMin]++;
                }
            }
            int k = 0;
            for (int v = 1; v < votes.length; v++) {
                if (votes[v] > votes[k]) {
                    k = v;
                }
            }
            k += kMin;
            if (previous != Integer.MIN_VALUE && k != previous) {
                steps++;
            }
            previous = k;
            double d = lsdAt(got[j], ref, (first + j) * FRAME - FRAME / 2 - bestLag - k * FRAME);
            if (!Double.isNaN(d)) {
                lsd[n++] = d;
            }
        }
        double[] used = Arrays.copyOf(lsd, n);
        double mean = Arrays.stream(used).average().orElse(Double.NaN);
        Arrays.sort(used);
        double p90 = n == 0 ? Double.NaN : used[Math.min(n - 1, (int) Math.floor(0.9 * n))];
        long bad = Arrays.stream(used).filter(d -> d > BAD_LSD_DB).count();
        double[] ltasHeard = new double[BANDS];
        for (int j = 0; j < count; j++) {
            if (got[j] != null && Tones.rms(heardFrames.get(first + j)) > GAP_RMS) {
                for (int b = 0; b < BANDS; b++) {
                    ltasHeard[b] += got[j][b];
                }
            }
        }
        double[] ltasSent = new double[BANDS];
        for (double[] r : ref) {
            for (int b = 0; b < BANDS; b++) {
                ltasSent[b] += r[b];
            }
        }
        double scale = sum(ltasSent) / Math.max(sum(ltasHeard), 1e-30); // level differences are not the question
        for (int b = 0; b < BANDS; b++) {
            ltasHeard[b] *= scale;
        }
        double[][] one = {ltasSent};
        return new Report(n, mean, p90, n == 0 ? 100 : 100.0 * bad / n, gaps, steps, lsdAt(ltasHeard, one, 0));
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    /** LSD between heard band energies and the sent ones starting at {@code refStart}; NaN if out of range. */
    private static double lsdAt(double[] heard, double[][] ref, int refStart) {
        if (heard == null || refStart < 0 || refStart % HOP != 0 || refStart / HOP >= ref.length) {
            return Double.NaN;
        }
        double[] r = ref[refStart / HOP];
        double max = 0;
        for (double e : r) {
            max = Math.max(max, e);
        }
        double floor = Math.max(max * 1e-4, 1e-12);
        double sum = 0;
        for (int b = 0; b < BANDS; b++) {
            double d = 10 * Math.log10(Math.max(heard[b], floor) / Math.max(r[b], floor));
            sum += d * d;
        }
        return Math.sqrt(sum / BANDS);
    }

    private static double[] bands(RealFft fft, float[] x, int start) {
        float[] in = new float[FFT];
        for (int i = 0; i < WINDOW; i++) {
            in[i] = x[start + i] * HANN[i];
        }
        float[] re = new float[FFT / 2 + 1];
        float[] im = new float[FFT / 2 + 1];
        fft.forward(in, re, im);
        double[] e = new double[BANDS];
        for (int b = 0; b < BANDS; b++) {
            for (int k = EDGES[b]; k < EDGES[b + 1]; k++) {
                e[b] += re[k] * re[k] + im[k] * im[k];
            }
        }
        return e;
    }

    /** 20 bands from 100 to 4000 Hz, equally spaced on a log scale (≥ 1 FFT bin each). */
    private static int[] bandEdges() {
        int[] edges = new int[BANDS + 1];
        for (int b = 0; b <= BANDS; b++) {
            double hz = 100 * Math.pow(40, (double) b / BANDS);
            edges[b] = (int) Math.round(hz * FFT / RATE);
        }
        for (int b = 1; b <= BANDS; b++) {
            edges[b] = Math.max(edges[b], edges[b - 1] + 1);
        }
        return edges;
    }

    private static float[] hann() {
        float[] w = new float[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (WINDOW - 1)));
        }
        return w;
    }
}
