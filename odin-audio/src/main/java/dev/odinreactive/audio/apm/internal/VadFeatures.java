package dev.odinreactive.audio.apm.internal;

/**
 * The voice activity detector's input features for one 10 ms block (see {@link VoiceActivityDetector}),
 * all causal and computed from the block and the detector's own short history:
 * <ul>
 *   <li><b>level</b>: block RMS in dBFS (exactly the frame the harness labels), its maxima over the
 *       last 5, 10 and 20 blocks and slow averages; the level relative to a tracked active speech
 *       level (ITU-T P.56 idea: speech is judged against the talker's active level);</li>
 *   <li><b>a-posteriori SNR</b> in 10 bands (94 Hz-12 kHz, 512-point FFT of the Hann-windowed block)
 *       against a per-band noise floor found by minimum statistics over a 2 s window of smoothed
 *       band powers (Martin, "Noise power spectral density estimation based on optimal smoothing and
 *       minimum statistics", IEEE TSAP 2001), their mean, maximum and speech-band value, with maxima
 *       and averages over time (Sohn, Kim and Sung, IEEE SPL 1999, use the same SNRs per bin);</li>
 *   <li><b>long-term signal variability</b> (LTSV): the variance across bands of the entropy of each
 *       band's power over the last 30 blocks (Ghosh, Tsiartas and Narayanan, "Robust voice activity
 *       detection using long-term signal variability", IEEE TASLP 2011);</li>
 *   <li><b>spectral flatness</b> (300 Hz-6 kHz) and <b>spectral flux</b> (mean absolute change of the
 *       band levels);</li>
 *   <li><b>harmonicity</b>: the peak normalised autocorrelation over pitch lags 2.5-16 ms of the
 *       signal decimated to 4 kHz (voicing strength, as in pitch detectors: Boersma, "Accurate
 *       short-term analysis of the fundamental frequency and the harmonics-to-noise ratio", IFA
 *       Proceedings 1993), and its maximum over the last 10 blocks.</li>
 * </ul>
 * Not thread-safe; about 10 us per block. Allocation-free after construction.
 */
final class VadFeatures {
    static final String[] NAMES = {
        "level", "levelMax5", "levelMax10", "levelMax20", "levelAvg10", "levelAvg30", "levelOverActive",
        "noiseLevel", "snrTotal", "snrMean", "snrMax", "snrSpeech", "snrMeanMax5", "snrMeanMax10",
        "snrMeanMax20", "snrMeanAvg3", "snrMeanAvg12", "flatness", "flatnessAvg", "flux", "fluxAvg",
        "ltsv", "sinceSpeech", "harmonicity", "harmonicityMax10", "harmonicityAvg",
        "snrB0", "snrB1", "snrB2", "snrB3", "snrB4", "snrB5", "snrB6", "snrB7", "snrB8", "snrB9"};
    static final int COUNT = NAMES.length;

    private static final int FFT = 512;
    /** Band edges in bins of 93.75 Hz: 94-281, 281-469, ..., 8.4-12 kHz. */
    private static final int[] EDGES = {1, 3, 5, 8, 12, 18, 27, 40, 60, 90, 128};
    private static final int BANDS = EDGES.length - 1;
    /** Bands that make up the speech-band SNR (281 Hz - 3.75 kHz). */
    private static final int SPEECH_LO = 1;
    private static final int SPEECH_HI = 7;
    private static final int FLAT_LO = 3;
    private static final int FLAT_HI = 64;
    /** Minimum statistics: 8 sub-windows of 25 blocks (2 s). */
    private static final int SUB = 8;
    private static final int SUB_LEN = 25;
    private static final int LTSV_LEN = 30;
    private static final int HIST = 20;
    /** Decimation to 4 kHz and pitch lags 10-40 (400-100 Hz) ... 64 (62.5 Hz). */
    private static final int DEC = 12;
    private static final int ACF_WIN = 80;
    private static final int LAG_MIN = 10;
    private static final int LAG_MAX = 64;
    private static final int DEC_HIST = ACF_WIN + LAG_MAX;
    private static final float[] WINDOW = new float[Stage.BLOCK];
    private static final float DB_PER_LOG2 = (float) (10 * Math.log10(2));

    static {
        for (int i = 0; i < Stage.BLOCK; i++) {
            WINDOW[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / Stage.BLOCK));
        }
    }

    private final RealFft fft = new RealFft(FFT);
    private final float[] buf = new float[FFT];
    private final float[] re = new float[FFT / 2 + 1];
    private final float[] im = new float[FFT / 2 + 1];
    private final float[] pw = new float[FFT / 2 + 1];
    private final double[] bandPow = new double[BANDS];
    private final double[] bandDb = new double[BANDS];
    private final double[] prevBandDb = new double[BANDS];
    private final double[] smoothPow = new double[BANDS];
    private final double[][] subMin = new double[SUB][BANDS];
    private final double[] curMin = new double[BANDS];
    private final double[] noisePow = new double[BANDS];
    private final double[] noiseDb = new double[BANDS];
    private final double[] snr = new double[BANDS];
    private int subPos;
    private int subIdx;
    private int subFilled;
    // LTSV: per band ring of powers, running sums of P and P ln P
    private final double[][] ltsvP = new double[LTSV_LEN][BANDS];
    private final double[][] ltsvPlogP = new double[LTSV_LEN][BANDS];
    private final double[] sumP = new double[BANDS];
    private final double[] sumPlogP = new double[BANDS];
    private int ltsvPos;
    // level and SNR history
    private final double[] levelHist = new double[HIST];
    private final double[] snrHist = new double[HIST];
    private final double[] harmHist = new double[10];
    private int histPos;
    private double levelAvg10;
    private double levelAvg30;
    private double active = Double.NaN;
    private double snrAvg3;
    private double snrAvg12;
    private double flatAvg;
    private double fluxAvg;
    private double harmAvg;
    private int sinceSpeech = 100;
    // decimated signal for the autocorrelation
    private final float[] dec = new float[DEC_HIST];
    private long blocks;

    /** Computes the features of one 480-sample block into {@code out} (length {@link #COUNT}). */
    void compute(float[] block, float[] out) {
        double e = 0;
        for (int i = 0; i < Stage.BLOCK; i++) {
            float v = block[i];
            e += v * v;
            buf[i] = v * WINDOW[i];
        }
        double level = Math.max(-100, 10 * Math.log10(e / Stage.BLOCK + 1e-12));
        for (int i = Stage.BLOCK; i < FFT; i++) {
            buf[i] = 0;
        }
        fft.forward(buf, re, im);
        for (int k = 1; k < EDGES[BANDS]; k++) {
            pw[k] = re[k] * re[k] + im[k] * im[k];
        }
        // band powers, normalised so that white noise at level L has band levels near L
        double total = 0;
        double flux = 0;
        for (int b = 0; b < BANDS; b++) {
            double s = 0;
            for (int k = EDGES[b]; k < EDGES[b + 1]; k++) {
                s += pw[k];
            }
            s = s * (2.0 / (Stage.BLOCK * 0.375 * FFT / 2)) / (EDGES[b + 1] - EDGES[b]) + 1e-11;
            bandPow[b] = s;
            total += s * (EDGES[b + 1] - EDGES[b]);
            bandDb[b] = db(s);
            if (blocks > 0) {
                flux += Math.abs(bandDb[b] - prevBandDb[b]);
            }
            prevBandDb[b] = bandDb[b];
        }
        flux /= BANDS;
        updateNoise();
        double noiseTot = 0;
        double snrMean = 0;
        double snrMax = -100;
        double sp = 0;
        double spNoise = 0;
        for (int b = 0; b < BANDS; b++) {
            snr[b] = Math.max(-10, Math.min(60, bandDb[b] - noiseDb[b]));
            snrMean += Math.max(0, snr[b]);
            snrMax = Math.max(snrMax, snr[b]);
            double np = noisePow[b];
            noiseTot += np * (EDGES[b + 1] - EDGES[b]);
            if (b >= SPEECH_LO && b < SPEECH_HI) {
                sp += bandPow[b] * (EDGES[b + 1] - EDGES[b]);
                spNoise += np * (EDGES[b + 1] - EDGES[b]);
            }
        }
        snrMean /= BANDS;
        double noiseLevel = db(noiseTot / (EDGES[BANDS] - EDGES[0]));
        double snrTotal = Math.max(-10, Math.min(60, db(total / noiseTot)));
        double snrSpeech = Math.max(-10, Math.min(60, db(sp / spNoise)));

        // spectral flatness over 281 Hz - 6 kHz (log geometric over arithmetic mean), in dB
        float logSum = 0;
        double linSum = 0;
        for (int k = FLAT_LO; k < FLAT_HI; k++) {
            float p = pw[k] + 1e-12f;
            logSum += log2(p);
            linSum += p;
        }
        int nf = FLAT_HI - FLAT_LO;
        double flatness = DB_PER_LOG2 * logSum / nf - db(linSum / nf);

        double ltsv = ltsv();
        double harm = harmonicity(block);

        // history
        histPos = (histPos + 1) % HIST;
        levelHist[histPos] = level;
        snrHist[histPos] = snrMean;
        harmHist[histPos % harmHist.length] = harm;
        if (blocks == 0) {
            levelAvg10 = levelAvg30 = level;
            flatAvg = flatness;
            harmAvg = harm;
            for (int i = 0; i < HIST; i++) {
                levelHist[i] = level;
                snrHist[i] = snrMean;
            }
        }
        levelAvg10 += 0.1 * (level - levelAvg10);
        levelAvg30 += (1 / 30.0) * (level - levelAvg30);
        snrAvg3 += (1 / 3.0) * (snrMean - snrAvg3);
        snrAvg12 += (1 / 12.0) * (snrMean - snrAvg12);
        flatAvg += 0.1 * (flatness - flatAvg);
        fluxAvg += 0.1 * (flux - fluxAvg);
        harmAvg += 0.1 * (harm - harmAvg);
        sinceSpeech = snrSpeech > 10 ? 0 : Math.min(100, sinceSpeech + 1);
        // active speech level: follows blocks well above the noise, slowly decays otherwise
        if (snrSpeech > 15 || snrTotal > 15) {
            active = Double.isNaN(active) ? level : active + (level > active ? 0.2 : 0.03) * (level - active);
        } else if (!Double.isNaN(active)) {
            active -= 0.005;
        }
        double act = Double.isNaN(active) ? noiseLevel + 30 : Math.max(active, noiseLevel + 10);

        int i = 0;
        out[i++] = (float) level;
        out[i++] = (float) maxLast(levelHist, 5);
        out[i++] = (float) maxLast(levelHist, 10);
        out[i++] = (float) maxLast(levelHist, 20);
        out[i++] = (float) levelAvg10;
        out[i++] = (float) levelAvg30;
        out[i++] = (float) (level - act);
        out[i++] = (float) noiseLevel;
        out[i++] = (float) snrTotal;
        out[i++] = (float) snrMean;
        out[i++] = (float) snrMax;
        out[i++] = (float) snrSpeech;
        out[i++] = (float) maxLast(snrHist, 5);
        out[i++] = (float) maxLast(snrHist, 10);
        out[i++] = (float) maxLast(snrHist, 20);
        out[i++] = (float) snrAvg3;
        out[i++] = (float) snrAvg12;
        out[i++] = (float) flatness;
        out[i++] = (float) flatAvg;
        out[i++] = (float) flux;
        out[i++] = (float) fluxAvg;
        out[i++] = (float) ltsv;
        out[i++] = (float) Math.log1p(sinceSpeech);
        out[i++] = (float) harm;
        out[i++] = (float) maxOf(harmHist);
        out[i++] = (float) harmAvg;
        for (int b = 0; b < BANDS; b++) {
            out[i++] = (float) snr[b];
        }
        blocks++;
    }

    /** Minimum statistics over SUB x SUB_LEN blocks of recursively smoothed band powers. */
    private void updateNoise() {
        for (int b = 0; b < BANDS; b++) {
            smoothPow[b] = blocks == 0 ? bandPow[b] : 0.7 * smoothPow[b] + 0.3 * bandPow[b];
            curMin[b] = subPos == 0 ? smoothPow[b] : Math.min(curMin[b], smoothPow[b]);
        }
        subPos++;
        boolean full = subPos == SUB_LEN;
        if (full) {
            System.arraycopy(curMin, 0, subMin[subIdx], 0, BANDS);
            subIdx = (subIdx + 1) % SUB;
            subFilled = Math.min(SUB, subFilled + 1);
            subPos = 0;
        }
        for (int b = 0; b < BANDS; b++) {
            double m = full ? Double.MAX_VALUE : curMin[b];
            for (int s = 0; s < subFilled; s++) {
                m = Math.min(m, subMin[s][b]);
            }
            noisePow[b] = m;
            noiseDb[b] = db(m);
        }
    }

    private double ltsv() {
        double meanH = 0;
        double sq = 0;
        int slot = ltsvPos;
        ltsvPos = (ltsvPos + 1) % LTSV_LEN;
        int n = (int) Math.min(LTSV_LEN, blocks + 1);
        for (int b = 0; b < BANDS; b++) {
            double p = smoothPow[b];
            double plogp = p * log2((float) p);
            sumP[b] += p - ltsvP[slot][b];
            sumPlogP[b] += plogp - ltsvPlogP[slot][b];
            ltsvP[slot][b] = p;
            ltsvPlogP[slot][b] = plogp;
            // entropy of p_t / sum p over the window, normalised by log(n)
            double h = n > 1 ? (log2((float) sumP[b]) - sumPlogP[b] / sumP[b]) / log2(n) : 1;
            meanH += h;
            sq += h * h;
        }
        meanH /= BANDS;
        return Math.max(0, sq / BANDS - meanH * meanH) * 100;
    }

    /** Peak normalised autocorrelation of the block decimated to 4 kHz, over lags 2.5-16 ms. */
    private double harmonicity(float[] block) {
        int n = Stage.BLOCK / DEC;
        System.arraycopy(dec, n, dec, 0, DEC_HIST - n);
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int i = 0; i < DEC; i++) {
                s += block[j * DEC + i];
            }
            dec[DEC_HIST - n + j] = s;
        }
        int start = DEC_HIST - ACF_WIN;
        float e0 = 0;
        for (int t = start; t < DEC_HIST; t++) {
            e0 += dec[t] * dec[t];
        }
        if (e0 <= 1e-9) {
            return 0;
        }
        // energy of the lagged window, updated as the lag grows
        float el = 0;
        for (int t = start - LAG_MIN; t < DEC_HIST - LAG_MIN; t++) {
            el += dec[t] * dec[t];
        }
        double best = 0;
        for (int lag = LAG_MIN; lag <= LAG_MAX; lag++) {
            float r = 0;
            for (int t = start, u = start - lag; t < DEC_HIST; t++, u++) {
                r += dec[t] * dec[u];
            }
            double c = r / Math.sqrt((double) e0 * el + 1e-20);
            if (c > best) {
                best = c;
            }
            if (lag < LAG_MAX) {
                float out = dec[DEC_HIST - 1 - lag];
                float in = dec[start - lag - 1];
                el += in * in - out * out;
            }
        }
        return best;
    }

    /** 10 log10(x) through {@link #log2}. */
    static double db(double x) {
        return DB_PER_LOG2 * log2((float) x);
    }

    /**
     * log2 of a positive normal float from its exponent and an odd series in (m-1)/(m+1) of the
     * mantissa m in [1, 2) (error below 2e-5): a feature needs no more, and it is several times cheaper.
     */
    static float log2(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x7fffff) | 0x3f800000);
        float t = (m - 1) / (m + 1);
        float t2 = t * t;
        return e + t * (2.8853900817779268f + t2 * (0.9617966939259756f + t2 * (0.5770780163555854f
                + t2 * 0.41219858311113f)));
    }

    private double maxLast(double[] h, int n) {
        double m = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, h[(histPos - i + HIST) % HIST]);
        }
        return m;
    }

    private static double maxOf(double[] h) {
        double m = h[0];
        for (double v : h) {
            m = Math.max(m, v);
        }
        return m;
    }
}
