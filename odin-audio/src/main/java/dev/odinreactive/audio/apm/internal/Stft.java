package dev.odinreactive.audio.apm.internal;

/**
 * Short-time Fourier analysis and overlap-add synthesis for 10 ms hops: a 960-sample
 * square-root periodic Hann window (50 % overlap, so analysis times synthesis window sums to
 * one: perfect reconstruction with unit gains), zero-padded to a 1024-point FFT. Adds one block
 * (480 samples) of delay. Allen and Rabiner, "A unified approach to short-time Fourier analysis
 * and synthesis", Proc. IEEE 1977.
 */
public final class Stft {
    public static final int FFT = 1024;
    public static final int BINS = FFT / 2 + 1;
    public static final int WIN = 2 * Stage.BLOCK;
    /** Width of one bin in Hz. */
    public static final float BIN_HZ = 48000f / FFT;

    static final float[] WINDOW = new float[WIN];

    static {
        for (int i = 0; i < WIN; i++) {
            WINDOW[i] = (float) Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / WIN));
        }
    }

    private final RealFft fft = new RealFft(FFT);
    private final float[] prevIn = new float[Stage.BLOCK];
    private final float[] tail = new float[Stage.BLOCK];
    private final float[] buf = new float[FFT];
    public final float[] re = new float[BINS];
    public final float[] im = new float[BINS];

    /** Analyses the newest block (with the previous one) into {@link #re}/{@link #im}. */
    public void analyse(float[] block) {
        int b = Stage.BLOCK;
        for (int i = 0; i < b; i++) {
            buf[i] = prevIn[i] * WINDOW[i];
            buf[b + i] = block[i] * WINDOW[b + i];
        }
        for (int i = WIN; i < FFT; i++) {
            buf[i] = 0;
        }
        System.arraycopy(block, 0, prevIn, 0, b);
        fft.forward(buf, re, im);
    }

    /** Resynthesises {@link #re}/{@link #im} and overlap-adds: writes one block (delayed by 480). */
    public void synthesise(float[] out) {
        fft.inverse(re, im, buf);
        int b = Stage.BLOCK;
        for (int i = 0; i < b; i++) {
            out[i] = tail[i] + buf[i] * WINDOW[i];
            tail[i] = buf[b + i] * WINDOW[b + i];
        }
    }

    public RealFft fft() {
        return fft;
    }
}
