package dev.odinreactive.audio.resample;

import java.util.Arrays;
import java.util.function.Function;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streaming sample-rate converter, any rate to any rate in 8–192 kHz, 1–2 interleaved channels
 * (the Java form of {@code odin_resampler_create/process/destroy}). Band-limited polyphase
 * windowed-sinc (Kaiser, designed for 110 dB): flat to 0.45 × the lower rate, stopband from
 * 0.5 × the lower rate, so nothing aliases. Measured figures are in docs/audio.md.
 * <p>State is kept across {@link #process} calls, so any chunking gives the same output. Output
 * sample {@code n} sits exactly at input time {@code n × from / to} (no time shift); the cost is
 * a latency of {@link #latency()} input samples, which {@link #flush} releases at end of stream.
 * The {@code float[] out} form allocates nothing once its internal buffer has grown to the chunk
 * size in use. Not thread-safe: one resampler per stream.
 */
public final class Resampler implements AutoCloseable {
    private final int fromRate;
    private final int toRate;
    private final int channels;
    private final int up;
    private final int down;
    private final PolyphaseFilter filter;
    private final int taps;
    private final int half;
    private float[][] buf;
    private int fill;
    private long pos; // in 1/up input samples, relative to buf[.][0]
    private long totalIn;
    private long totalOut;
    private boolean closed;

    /**
     * @throws AudioFormatException if a rate is outside 8–192 kHz or channels is not 1 or 2
     */
    public Resampler(int fromRate, int toRate, int channels) {
        new AudioFormat(fromRate, channels);
        new AudioFormat(toRate, channels);
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.channels = channels;
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        this.filter = fromRate == toRate ? null : PolyphaseFilter.of(up, down);
        this.taps = filter == null ? 0 : filter.taps;
        this.half = taps / 2;
        this.buf = new float[channels][Math.max(taps * 2, 1024)];
        reset();
    }

    /** A resampler from {@code from} to {@code toRate} with the same channel count. */
    public static Resampler create(AudioFormat from, int toRate) {
        return new Resampler(from.sampleRate(), toRate, from.channels());
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Input rate in Hz. */
    public int fromRate() {
        return fromRate;
    }

    /** Output rate in Hz. */
    public int toRate() {
        return toRate;
    }

    /** Channels (interleaved). */
    public int channels() {
        return channels;
    }

    /** Filter length in input samples per output sample (0 when the rates are equal). */
    public int taps() {
        return taps;
    }

    /** The filter table (for tests and measurements). */
    PolyphaseFilter filter() {
        return filter;
    }

    /** Latency in input samples per channel: output lags input by this much until {@link #flush}. */
    public int latency() {
        return half;
    }

    /** Forgets all state (as after construction). */
    public void reset() {
        for (float[] b : buf) {
            Arrays.fill(b, 0f);
        }
        fill = Math.max(0, half - 1); // zeros before the first sample
        pos = 0;
        totalIn = 0;
        totalOut = 0;
    }

    /**
     * Upper bound of the interleaved output length of the next {@code process} call with
     * {@code inputLength} interleaved samples (the {@code output_capacity} of odin_resampler_process).
     */
    public int maxOutputLength(int inputLength) {
        if (filter == null) {
            return inputLength;
        }
        long frames = fill + inputLength / channels + half + 2L;
        return (int) ((frames * up / down + 2) * channels);
    }

    /**
     * Resamples one chunk.
     *
     * @param in     interleaved input
     * @param inLen  interleaved samples to read; a multiple of the channel count
     * @param out    receives interleaved output at {@code outOff}
     * @return interleaved samples written
     * @throws AudioFormatException     if {@code inLen} is not a multiple of the channel count
     * @throws IllegalArgumentException if {@code out} has less room than {@link #maxOutputLength} (nothing consumed)
     */
    public int process(float[] in, int inOff, int inLen, float[] out, int outOff) {
        if (closed) {
            throw new IllegalStateException("resampler is closed");
        }
        if (inLen % channels != 0) {
            throw new AudioFormatException(inLen + " samples are not a whole number of " + channels + "-channel samples");
        }
        int need = maxOutputLength(inLen);
        if (out.length - outOff < need) {
            throw new IllegalArgumentException("output has room for " + (out.length - outOff) + " samples, needs "
                    + need);
        }
        if (filter == null) {
            System.arraycopy(in, inOff, out, outOff, inLen);
            totalIn += inLen / channels;
            totalOut += inLen / channels;
            return inLen;
        }
        append(in, inOff, inLen);
        totalIn += inLen / channels;
        return produce(out, outOff, Long.MAX_VALUE);
    }

    /** Resamples one chunk into a new array. */
    public float[] process(float[] in) {
        float[] out = new float[maxOutputLength(in.length)];
        int n = process(in, 0, in.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private void append(float[] in, int off, int len) {
        int frames = len / channels;
        if (fill + frames > buf[0].length) {
            int cap = Math.max(buf[0].length * 2, fill + frames);
            for (int c = 0; c < channels; c++) {
                buf[c] = Arrays.copyOf(buf[c], cap);
            }
        }
        if (channels == 1) {
            System.arraycopy(in, off, buf[0], fill, frames);
        } else {
            float[] l = buf[0];
            float[] r = buf[1];
            for (int i = 0; i < frames; i++) {
                l[fill + i] = in[off + 2 * i];
                r[fill + i] = in[off + 2 * i + 1];
            }
        }
        fill += frames;
    }

    private int produce(float[] out, int outOff, long limit) {
        final float[] rows = filter.rows;
        final int phases = filter.phases;
        final boolean exact = phases == up;
        int o = outOff;
        long produced = 0;
        while (produced < limit) {
            int k = (int) (pos / up);
            if (k + taps > fill) {
                break;
            }
            int frac = (int) (pos - (long) k * up);
            int row;
            float w;
            if (exact) {
                row = frac * taps;
                w = 0f;
            } else {
                double p = (double) frac * phases / up;
                int pi = (int) p;
                row = pi * taps;
                w = (float) (p - pi);
            }
            for (int c = 0; c < channels; c++) {
                float[] b = buf[c];
                float acc = 0f;
                for (int j = 0; j < taps; j++) {
                    acc += b[k + j] * rows[row + j];
                }
                if (w != 0f) {
                    float acc2 = 0f;
                    int row2 = row + taps;
                    for (int j = 0; j < taps; j++) {
                        acc2 += b[k + j] * rows[row2 + j];
                    }
                    acc += w * (acc2 - acc);
                }
                out[o++] = acc;
            }
            pos += down;
            produced++;
        }
        totalOut += produced;
        int drop = (int) Math.min(pos / up, fill);
        if (drop > 0) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buf[c], drop, buf[c], 0, fill - drop);
            }
            fill -= drop;
            pos -= (long) drop * up;
        }
        return o - outOff;
    }

    /** Interleaved length {@link #flush} may write at most. */
    public int maxFlushLength() {
        return maxOutputLength(taps * channels);
    }

    /**
     * Ends the stream: writes the outputs still held back by the filter latency, so that the
     * total output is {@code ceil(totalInput × to / from)} samples per channel, then resets.
     *
     * @return interleaved samples written
     */
    public int flush(float[] out, int outOff) {
        if (filter == null) {
            reset();
            return 0;
        }
        long expected = (totalIn * up + down - 1) / down;
        long missing = expected - totalOut;
        int n = 0;
        if (missing > 0) {
            float[] zeros = new float[(half + 2) * channels];
            append(zeros, 0, zeros.length);
            n = produce(out, outOff, missing);
        }
        reset();
        return n;
    }

    /** {@link #flush(float[], int)} into a new array. */
    public float[] flush() {
        float[] out = new float[maxFlushLength()];
        return Arrays.copyOf(out, flush(out, 0));
    }

    /** Makes further use fail (the Java counterpart of {@code odin_resampler_destroy}). */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Resamples a whole buffer: output sample {@code n} is at input time {@code n × from / to}
     * and the output has {@code ceil(inputSamples × to / from)} samples per channel.
     */
    public static float[] resample(float[] samples, AudioFormat from, int toRate) {
        Resampler r = create(from, toRate);
        float[] a = r.process(samples);
        float[] b = r.flush();
        float[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Operator: resamples a stream of interleaved chunks of any size from {@code from} to
     * {@code toRate}, one resampler per subscription, on the thread that delivers the chunks.
     * Output chunks have varying lengths (re-frame with {@code Frames.reframe} if needed); empty
     * chunks are not emitted. When the input completes, the held-back tail is flushed.
     */
    public static Function<Flux<float[]>, Flux<float[]>> resampling(AudioFormat from, int toRate) {
        create(from, toRate).close(); // validate eagerly
        if (from.sampleRate() == toRate) {
            return Function.identity();
        }
        return in -> Flux.defer(() -> {
            Resampler r = create(from, toRate);
            return in.map(r::process).concatWith(Mono.fromSupplier(r::flush)).filter(a -> a.length > 0);
        });
    }
}
