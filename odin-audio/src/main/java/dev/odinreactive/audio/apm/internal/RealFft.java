package dev.odinreactive.audio.apm.internal;

/**
 * Real-input FFT of a power-of-two size {@code n}: the even/odd samples packed as a complex signal
 * of size {@code n/2}, an iterative decimation-in-time complex FFT on it (a first pass of spans 1 and 2
 * fused with the bit-reversal permutation, radix-4 passes with per-pass contiguous twiddle tables,
 * and a radix-2 pass when needed), and the split step that recovers the {@code n/2 + 1} bins of the real spectrum (Cooley
 * and Tukey 1965; packing and split step as in Sorensen et al., "Real-valued fast Fourier transform
 * algorithms", IEEE TASSP 1987). The inverse runs the same forward passes on the conjugate.
 *
 * <p>Our own rather than a library: the APM needs one size (1024) in {@code float}, with preallocated
 * buffers and no allocation per call, and this runs a 1024-point transform in about 2-3 us.
 * JTransforms, the usual pure-Java FFT, is double-first, starts a thread pool for large sizes and has
 * had no release since 2015 (and is not among the project's dependencies); Apache Commons Math's FFT
 * allocates its result per call. Not thread-safe: one instance per processor.
 */
public final class RealFft {
    private final int n;
    private final int half;
    /** Radix-4 pass twiddles, per pass (m = 4, 16, ...) and j < m: W^j, W^2j, W^3j with W = exp(-2 pi i / 4m). */
    private final float[] tw4;
    /** Twiddles of the final radix-2 pass (span half/2), if any: exp(-i pi j / (half/2)). */
    private final float[] twRe;
    private final float[] twIm;
    private final float[] splitCos;
    private final float[] splitSin;
    private final int[] bitrev;
    private final float[] zr;
    private final float[] zi;
    private final float[] ur;
    private final float[] ui;

    public RealFft(int n) {
        if (n < 8 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 8: " + n);
        }
        this.n = n;
        this.half = n / 2;
        int m = 4;
        int size4 = 0;
        for (; 4 * m <= half; m <<= 2) {
            size4 += 6 * m;
        }
        tw4 = new float[size4];
        for (int p = 4, o = 0; 4 * p <= half; p <<= 2) {
            for (int j = 0; j < p; j++) {
                for (int r = 1; r <= 3; r++) {
                    double a = -2 * Math.PI * r * j / (4.0 * p);
                    tw4[o++] = (float) Math.cos(a);
                    tw4[o++] = (float) Math.sin(a);
                }
            }
        }
        twRe = new float[m < half ? m : 0];
        twIm = new float[twRe.length];
        for (int j = 0; j < twRe.length; j++) {
            twRe[j] = (float) Math.cos(Math.PI * j / m);
            twIm[j] = (float) -Math.sin(Math.PI * j / m);
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
            bitrev[i] = Integer.reverse(i) >>> (32 - bits);
        }
        zr = new float[half];
        zi = new float[half];
        ur = new float[half];
        ui = new float[half];
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
        if (x.length < n || re.length <= half || im.length <= half) {
            throw new IllegalArgumentException("FFT of size " + n + " needs x[" + n + "], re/im[" + (half + 1) + "]");
        }
        float[] zr = this.zr, zi = this.zi;
        firstPass(x, 0, x, 1, 2);   // z[i] = x[2i] + i x[2i + 1]
        passes();
        int h = half;
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[h] = zr[0] - zi[0];
        im[h] = 0;
        float[] sc = splitCos, ss = splitSin;
        for (int k = 1, m = h - 1; k <= m; k++, m--) {
            // bins k and h-k from Z[k] and Z[h-k]: X[k] = E + W^k O with E = (Z[k] + Z*[h-k]) / 2,
            // O = (Z[k] - Z*[h-k]) / 2i
            float ar = zr[k], ai = zi[k];
            float br = zr[m], bi = zi[m];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai - bi);
            float dr = 0.5f * (ai + bi), di = -0.5f * (ar - br);
            float c = sc[k], s = ss[k];
            float tr = dr * c - di * s, ti = dr * s + di * c;
            re[k] = er + tr;
            im[k] = ei + ti;
            // bin h-k: E' = conj(E), O' = conj(O), W^(h-k) = -conj(W^k)
            re[m] = er - tr;
            im[m] = ti - ei;
        }
    }

    /** Inverse transform of {@code re, im [0..n/2]} into {@code x[0..n)}, scaled by 1/n. */
    public void inverse(float[] re, float[] im, float[] x) {
        if (x.length < n || re.length <= half || im.length <= half) {
            throw new IllegalArgumentException("FFT of size " + n + " needs x[" + n + "], re/im[" + (half + 1) + "]");
        }
        float[] zr = this.zr, zi = this.zi, ur = this.ur, ui = this.ui;
        float[] sc = splitCos, ss = splitSin;
        int h = half;
        // Z[k] = E + i O with E = X[k] + X*[h-k], O = (X[k] - X*[h-k]) W^-k; stored conjugated
        for (int k = 0; k < h; k++) {
            float ar = re[k], ai = im[k];
            float br = re[h - k], bi = -im[h - k];
            float er = ar + br, ei = ai + bi;
            float dr = ar - br, di = ai - bi;
            float c = sc[k], s = -ss[k];
            float or = dr * c - di * s, oi = dr * s + di * c;
            ur[k] = er - oi;
            ui[k] = -(ei + or);
        }
        firstPass(ur, 0, ui, 0, 1);
        passes();
        float scale = 1f / n;
        for (int i = 0; i < h; i++) {
            x[2 * i] = zr[i] * scale;
            x[2 * i + 1] = -zi[i] * scale;
        }
    }

    /**
     * Bit-reversed load of the complex signal {@code (re[reOff + stride i], im[imOff + stride i])} into
     * {@code zr/zi}, fused with the radix-2 passes of span 1 and 2.
     */
    private void firstPass(float[] ur, int reOff, float[] ui, int imOff, int stride) {
        float[] zr = this.zr, zi = this.zi;
        int[] br = bitrev;
        for (int i = 0, h = half; i < h; i += 4) {
            int s0 = br[i] * stride, s1 = br[i + 1] * stride, s2 = br[i + 2] * stride, s3 = br[i + 3] * stride;
            float a0r = ur[s0 + reOff], a0i = ui[s0 + imOff], a1r = ur[s1 + reOff], a1i = ui[s1 + imOff];
            float a2r = ur[s2 + reOff], a2i = ui[s2 + imOff], a3r = ur[s3 + reOff], a3i = ui[s3 + imOff];
            float p0r = a0r + a1r, p0i = a0i + a1i, d0r = a0r - a1r, d0i = a0i - a1i;
            float p1r = a2r + a3r, p1i = a2i + a3i, d1r = a2r - a3r, d1i = a2i - a3i;
            zr[i] = p0r + p1r;
            zi[i] = p0i + p1i;
            zr[i + 2] = p0r - p1r;
            zi[i + 2] = p0i - p1i;
            // twiddle -i on the odd pair
            zr[i + 1] = d0r + d1i;
            zi[i + 1] = d0i - d1r;
            zr[i + 3] = d0r - d1i;
            zi[i + 3] = d0i + d1r;
        }
    }

    /**
     * The remaining decimation-in-time passes: radix-4 passes combining four transforms of size
     * {@code m} (m = 4, 16, ...) into one of {@code 4m}, and a last radix-2 pass when {@code half} is
     * not a power of four. After the passes of span below {@code m}, the four blocks of a group hold
     * the transforms of the index classes 0, 2, 1, 3 (mod 4), in this order (bit reversal).
     */
    private void passes() {
        float[] zr = this.zr, zi = this.zi, t = tw4;
        int h = half;
        int m = 4;
        for (; 4 * m <= h; m <<= 2) {
            int base = 6 * (m - 4) / 3;   // 6 * (4 + 16 + ... + m/4)
            for (int start = 0; start < h; start += 4 * m) {
                for (int j = 0, o = base; j < m; j++, o += 6) {
                    int i0 = start + j, i2 = i0 + m, i1 = i2 + m, i3 = i1 + m;
                    float w1r = t[o], w1i = t[o + 1], w2r = t[o + 2], w2i = t[o + 3], w3r = t[o + 4], w3i = t[o + 5];
                    float a0r = zr[i0], a0i = zi[i0];
                    float xr = zr[i1], xi = zi[i1];
                    float a1r = xr * w1r - xi * w1i, a1i = xr * w1i + xi * w1r;
                    xr = zr[i2];
                    xi = zi[i2];
                    float a2r = xr * w2r - xi * w2i, a2i = xr * w2i + xi * w2r;
                    xr = zr[i3];
                    xi = zi[i3];
                    float a3r = xr * w3r - xi * w3i, a3i = xr * w3i + xi * w3r;
                    float s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
                    float s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
                    zr[i0] = s02r + s13r;
                    zi[i0] = s02i + s13i;
                    zr[i1] = s02r - s13r;       // X[j + 2m]
                    zi[i1] = s02i - s13i;
                    zr[i2] = d02r + d13i;       // X[j + m] = A0 - A2 - i (A1 - A3)
                    zi[i2] = d02i - d13r;
                    zr[i3] = d02r - d13i;       // X[j + 3m] = A0 - A2 + i (A1 - A3)
                    zi[i3] = d02i + d13r;
                }
            }
        }
        if (m < h) {   // one radix-2 pass of span m = h/2
            float[] wr = twRe, wi = twIm;
            for (int j = 0; j < m; j++) {
                float c = wr[j], s = wi[j];
                int b = j + m;
                float xr = zr[b], xi = zi[b];
                float tr = xr * c - xi * s;
                float ti = xr * s + xi * c;
                float yr = zr[j], yi = zi[j];
                zr[b] = yr - tr;
                zi[b] = yi - ti;
                zr[j] = yr + tr;
                zi[j] = yi + ti;
            }
        }
    }
}
