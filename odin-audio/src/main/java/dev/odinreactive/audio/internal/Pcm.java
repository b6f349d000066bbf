package dev.odinreactive.audio.internal;

/** Conversions between float samples in [-1, 1] and 16-bit PCM; no allocation. */
public final class Pcm {
    private Pcm() {
    }

    /** Float to 16-bit with rounding and clamping to [-32768, 32767]. */
    public static short toShort(float sample) {
        float s = sample * 32768f;
        if (s >= 32767f) {
            return Short.MAX_VALUE;
        }
        if (s <= -32768f) {
            return Short.MIN_VALUE;
        }
        return (short) Math.round(s);
    }

    /** 16-bit to float in [-1, 1). */
    public static float toFloat(short sample) {
        return sample * (1f / 32768f);
    }

    /** Converts {@code n} floats into shorts. */
    public static void toShorts(float[] in, int inOff, short[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = toShort(in[inOff + i]);
        }
    }

    /** Converts {@code n} shorts into floats. */
    public static void toFloats(short[] in, int inOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = in[inOff + i] * (1f / 32768f);
        }
    }
}
