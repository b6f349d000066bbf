package dev.odinreactive.audio.internal;

import java.util.Arrays;

/**
 * Keeps a concealed frame from collapsing into silence. Concentus 1.0.2's SILK packet loss
 * concealment (and so its FEC decode of a packet without LBRR data, which falls back to PLC) fades
 * to about −60 dBFS within 5–10 ms after frames the SILK encoder classed as inactive or unvoiced
 * (the quieter parts of speech; those frames also carry no LBRR), where libopus 1.3.1, given the
 * same packets, keeps the level for 80 ms and more. A second concealed frame in a row is then
 * silent: an audible drop-out after two lost packets.
 *
 * <p>The decoder feeds every frame decoded from a packet to {@link #decoded} (remembered: the
 * last 40 ms), every concealed or FEC-recovered frame to {@link #concealed}. The n-th such frame
 * since the last packet is expected at {@value #FADE_PER_FRAME}<sup>n−1</sup> times the level of
 * the last 10 ms decoded; when the codec's frame ends more than 20 dB below that, it is replaced
 * by the last pitch period decoded (normalised autocorrelation, 2.5–15 ms), repeated and faded
 * from that expected level by {@value #FADE_PER_FRAME} per frame. The first replaced frame of a run
 * starts with a 2.5 ms crossfade from the codec's own output, which is continuous with the
 * previous frame. Concealment that holds its level is left alone.
 *
 * <p>Allocates nothing after construction. Not thread-safe (one per decoder).
 */
public final class ConcealmentGuard {
    /** Gain of a replaced frame's end relative to its start (−3.1 dB per 20 ms). */
    static final float FADE_PER_FRAME = 0.7f;
    /** The codec's frame "collapsed" when its second half is this far below the expected level (−20 dB). */
    private static final double COLLAPSE_RATIO = 0.1;
    /** Below this level (−80 dBFS) what was played counts as silence: nothing to continue. */
    private static final double FLOOR_RMS = 1e-4;

    private final int channels;
    private final int historyFrames;
    private final int refFrames;
    private final int minPeriod;
    private final int maxPeriod;
    private final int window;
    private final int crossfade;
    private final float[] history;   // decoded from packets, interleaved, newest last
    private final float[] source;    // interleaved, one period
    private boolean replacing;
    private int period;
    private int phase;
    private long replaced;
    private double level; // of the last 10 ms decoded from a packet
    private int run;      // frames concealed since then

    /**
     * @param sampleRate output rate in Hz
     * @param channels   interleaved channels
     */
    public ConcealmentGuard(int sampleRate, int channels) {
        this.channels = channels;
        int perMs = sampleRate / 1000;
        this.historyFrames = 40 * perMs;
        this.refFrames = 10 * perMs;
        this.minPeriod = perMs * 5 / 2;
        this.maxPeriod = 15 * perMs;
        this.window = 10 * perMs;
        this.crossfade = perMs * 5 / 2;
        this.history = new float[historyFrames * channels];
        this.source = new float[maxPeriod * channels];
    }

    /** A frame decoded from a packet ({@code samplesPerChannel} long, interleaved in {@code out}): remembered. */
    public void decoded(float[] out, int samplesPerChannel) {
        replacing = false;
        run = 0;
        remember(out, samplesPerChannel);
        level = rms(history, history.length - refFrames * channels, history.length);
    }

    /**
     * A frame the codec concealed or rebuilt from FEC: replaced in {@code out} if it collapsed
     * (see the class comment).
     *
     * @return whether the frame was replaced
     */
    public boolean concealed(float[] out, int samplesPerChannel) {
        int n = samplesPerChannel * channels;
        float start = (float) Math.pow(FADE_PER_FRAME, run++);
        double tail = rms(out, n / 2, n);
        boolean collapsed = level * start > FLOOR_RMS && tail < level * start * COLLAPSE_RATIO;
        if (!collapsed) {
            replacing = false;
            return false;
        }
        boolean first = !replacing;
        if (first) {
            period = pitchPeriod();
            System.arraycopy(history, history.length - period * channels, source, 0, period * channels);
            // loop point: blend the period's end into what preceded its start, so the repetition is smooth
            int m = Math.min(period / 4, crossfade);
            for (int i = 0; i < m; i++) {
                float w = (i + 1f) / (m + 1f);
                for (int c = 0; c < channels; c++) {
                    int s = (period - m + i) * channels + c;
                    int before = history.length - (period + m - i) * channels + c;
                    source[s] = (1 - w) * source[s] + w * history[before];
                }
            }
            phase = 0;
            replacing = true;
        }
        float end = start * FADE_PER_FRAME;
        for (int t = 0; t < samplesPerChannel; t++) {
            float g = start + (end - start) * (t + 1f) / samplesPerChannel;
            int p = (phase + t) % period;
            float w = first && t < crossfade ? (t + 1f) / (crossfade + 1f) : 1f;
            for (int c = 0; c < channels; c++) {
                int i = t * channels + c;
                out[i] = (1 - w) * out[i] + w * g * source[p * channels + c];
            }
        }
        phase = (phase + samplesPerChannel) % period;
        replaced++;
        return true;
    }

    /** Frames replaced so far. */
    public long replaced() {
        return replaced;
    }

    /** Forgets what was decoded (decoder reset). */
    public void reset() {
        Arrays.fill(history, 0f);
        replacing = false;
        level = 0;
        run = 0;
    }

    private void remember(float[] out, int samplesPerChannel) {
        int n = Math.min(samplesPerChannel, historyFrames) * channels;
        int keep = history.length - n;
        System.arraycopy(history, n, history, 0, keep);
        System.arraycopy(out, samplesPerChannel * channels - n, history, keep, n);
    }

    /** The lag in [2.5, 15] ms with the highest normalised correlation of the last 10 ms with the past (channel sum). */
    private int pitchPeriod() {
        int end = historyFrames;
        int best = minPeriod;
        double bestScore = -2;
        double xx = 0; // the last 10 ms: the same for every lag
        for (int t = end - window; t < end; t++) {
            double x = mono(t);
            xx += x * x;
        }
        for (int lag = minPeriod; lag <= maxPeriod; lag++) {
            double xy = 0;
            double yy = 0;
            for (int t = end - window; t < end; t++) {
                double y = mono(t - lag);
                xy += mono(t) * y;
                yy += y * y;
            }
            double score = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : -1;
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        return best;
    }

    private double mono(int frame) {
        double s = 0;
        for (int c = 0; c < channels; c++) {
            s += history[frame * channels + c];
        }
        return s;
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return to > from ? Math.sqrt(s / (to - from)) : 0;
    }
}
