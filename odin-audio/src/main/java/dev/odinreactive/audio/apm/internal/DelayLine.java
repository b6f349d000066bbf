package dev.odinreactive.audio.apm.internal;

/** A pure delay of a fixed number of samples: the bypass of a stage with latency. */
public final class DelayLine implements Stage {
    private final float[] buf;
    private int pos;

    public DelayLine(int samples) {
        buf = new float[samples];
    }

    @Override
    public void process(float[] block) {
        int n = buf.length;
        if (n == 0) {
            return;
        }
        for (int i = 0; i < block.length; i++) {
            float v = block[i];
            block[i] = buf[pos];
            buf[pos] = v;
            pos = pos + 1 == n ? 0 : pos + 1;
        }
    }

    @Override
    public int latency() {
        return buf.length;
    }
}
