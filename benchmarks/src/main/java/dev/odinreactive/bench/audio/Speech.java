package dev.odinreactive.bench.audio;

/** Voiced-speech-like test signal (gliding harmonics with formants and a syllable envelope). */
final class Speech {
    private Speech() {
    }

    static float[] signal(int rate, int samples) {
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
            s[i] = (float) (0.3 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t)) * v);
        }
        return s;
    }
}
