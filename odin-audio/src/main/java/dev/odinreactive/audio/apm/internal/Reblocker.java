package dev.odinreactive.audio.apm.internal;

import java.util.function.Consumer;

/**
 * Runs 10 ms block processing under frames of any size: the samples of each frame are cut into
 * blocks of {@link Stage#BLOCK} (the remainder waits for the next frame), each completed block is
 * processed in place, and the frame is answered with a frame of the same length taken from the
 * processed samples. When the first frame's length is a multiple of 10 ms this adds no delay;
 * otherwise the output starts with {@code 480 - gcd(length, 480)} samples of silence (e.g. 240 for
 * 5 ms frames, 477 for 441-sample frames), just enough that every frame of that length can be
 * answered at once ({@link #delay()}). A later frame longer than the processed samples available
 * (a size change that breaks this alignment) is refused with {@link IllegalArgumentException}.
 * Not thread-safe; no allocation per frame besides the returned array.
 */
public final class Reblocker {
    private final float[] block = new float[Stage.BLOCK];
    private int blockFill;
    private float[] out = new float[4 * Stage.BLOCK];
    private int outFill;
    private int delay = -1;

    /**
     * Feeds {@code frame}, runs {@code perBlock} on each block it completes, and returns the next
     * {@code frame.length} processed samples (a fresh array).
     */
    public float[] process(float[] frame, Consumer<float[]> perBlock) {
        if (delay < 0) {
            int g = gcd(frame.length, Stage.BLOCK);
            delay = frame.length == 0 ? 0 : Stage.BLOCK - g;
            outFill = delay;   // silence
        }
        int pos = 0;
        while (pos < frame.length) {
            int take = Math.min(Stage.BLOCK - blockFill, frame.length - pos);
            System.arraycopy(frame, pos, block, blockFill, take);
            blockFill += take;
            pos += take;
            if (blockFill == Stage.BLOCK) {
                perBlock.accept(block);
                if (outFill + Stage.BLOCK > out.length) {
                    out = java.util.Arrays.copyOf(out, 2 * (outFill + Stage.BLOCK));
                }
                System.arraycopy(block, 0, out, outFill, Stage.BLOCK);
                outFill += Stage.BLOCK;
                blockFill = 0;
            }
        }
        if (outFill < frame.length) {
            throw new IllegalArgumentException("a frame of " + frame.length + " samples needs " + frame.length
                    + " processed samples but only " + outFill + " are ready: after a first frame of another size, "
                    + "keep frames at multiples of " + (Stage.BLOCK - delay) + " samples (or re-frame them)");
        }
        float[] result = new float[frame.length];
        System.arraycopy(out, 0, result, 0, frame.length);
        System.arraycopy(out, frame.length, out, 0, outFill - frame.length);
        outFill -= frame.length;
        return result;
    }

    /** Delay added by re-blocking, in samples (known after the first frame; 0 before). */
    public int delay() {
        return Math.max(delay, 0);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
