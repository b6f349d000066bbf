package dev.odinreactive.audio.apm.internal;

/**
 * Real-input FFT of a power-of-two size {@code n}: an iterative radix-2 complex FFT of size
 * {@code n/2} on the even/odd-packed signal plus the usual split step (Cooley and Tukey 1965;
 * packing as in Sorensen et al., "Real-valued fast Fourier transform algorithms", IEEE TASSP 1987).
 *
 * <p>Our own rather than a library: the APM needs exactly one size (1024) in {@code float}, with
 * preallocated buffers and no allocation per call; JTransforms (the usual pure-Java choice) is
 * double-oriented, multi-threaded by default and no longer maintained. Not thread-safe: one
 * instance per processor.
 */
public final class RealFft {
    private final int n;
    private final int half;
    private final float[] cosT;
    private final float[] sinT;
    private final float[] splitCos;
    private final float[] splitSin;
    private final int[] bitrev;
    private final float[] zr;
    private final float[] zi;

    public RealFft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 4: " + n);
        }
        this.n = n;
        this.half = n / 2;
        cosT = new float[half / 2];
        sinT = new float[half / 2];
        for (int i = 0; i < half / 2; i++) {
            cosT[i] = (float) Math.cos(2 * Math.PI * i / half);
            sinT[i] = (float) -Math.sin(2 * Math.PI * i / half);
        }
        splitCos = new float[half + 1];
        splitSin = new float[half + 1];
        for (int k = 0; k <= half; k++) {
            splitCos[k] = (float) Math.cos(2 * Math.PI * k / n);
            splitSin[k] = (float) -Math.sin(2 * Math.PI * k / n);
        }
        bitrev = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) {
            bitrev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        zr = new float[half];
        zi = new float[half];
    }

    public int size() {
        return n;
    }

    /** Number of bins of the one-sided spectrum: {@code n/2 + 1}. */
    public int bins() {
        return half + 1;
    }

    /** Forward transform of {@code x[0..n)} into {@code re, im [0..n/2]} (unnormalised). */
    public void forward(float[] x, float[] re, float[] im) {
        for (int i = 0; i < half; i++) {
            int j = bitrev[i];
            zr[j] = x[2 * i];
            zi[j] = x[2 * i + 1];
        }
        butterflies(false);
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[half] = zr[0] - zi[0];
        im[half] = 0;
        for (int k = 1; k < half; k++) {
            float ar = zr[k], ai = zi[k];
            float br = zr[half - k], bi = -zi[half - k];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            // odd part: (a - b) / (2i)
            float dr = 0.5f * (ai - bi), di = -0.5f * (ar - br);
            float c = splitCos[k], s = splitSin[k];
            re[k] = er + dr * c - di * s;
            im[k] = ei + dr * s + di * c;
        }
    }

    /** Inverse transform of {@code re, im [0..n/2]} into {@code x[0..n)}, scaled by 1/n. */
    public void inverse(float[] re, float[] im, float[] x) {
        for (int k = 0; k < half; k++) {
            float ar = re[k], ai = im[k];
            float br = re[half - k], bi = -im[half - k];
            float er = ar + br, ei = ai + bi;
            float dr = ar - br, di = ai - bi;
            float c = splitCos[k], s = -splitSin[k];
            float or = dr * c - di * s, oi = dr * s + di * c;
            // Z = E + i*O
            int j = bitrev[k];
            zr[j] = er - oi;
            zi[j] = ei + or;
        }
        butterflies(true);
        float scale = 1f / n;
        for (int i = 0; i < half; i++) {
            x[2 * i] = zr[i] * scale;
            x[2 * i + 1] = zi[i] * scale;
        }
    }

    private void butterflies(boolean inverse) {
        float sign = inverse ? -1f : 1f;
        for (int size = 2; size <= half; size <<= 1) {
            int hs = size >> 1;
            int step = half / size;
            for (int start = 0; start < half; start += size) {
                for (int j = 0; j < hs; j++) {
                    float wr = cosT[j * step], wi = sign * sinT[j * step];
                    int a = start + j, b = a + hs;
                    float tr = zr[b] * wr - zi[b] * wi;
                    float ti = zr[b] * wi + zi[b] * wr;
                    zr[b] = zr[a] - tr;
                    zi[b] = zi[a] - ti;
                    zr[a] += tr;
                    zi[a] += ti;
                }
            }
        }
    }
}
