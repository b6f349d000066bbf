package dev.odinreactive.cli.internal;

/** Audio level helpers for meters and onset detection. */
public final class Levels {

    private Levels() {
    }

    /** Peak absolute sample value of a frame. */
    public static float peak(float[] frame) {
        float p = 0;
        for (float v : frame) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /** A VU bar of {@code width} cells for a peak level, on a dB scale from -60 to 0 dBFS. */
    public static String bar(float peak, int width) {
        double db = peak <= 1e-6 ? -120 : 20 * Math.log10(peak);
        int cells = (int) Math.round(Math.max(0, Math.min(1, (db + 60) / 60)) * width);
        return "#".repeat(cells) + ".".repeat(width - cells);
    }
}
