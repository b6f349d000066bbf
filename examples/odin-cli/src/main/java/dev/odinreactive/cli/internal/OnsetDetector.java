package dev.odinreactive.cli.internal;

/**
 * Finds talk-spurt onsets in a stream of frames: the first frame whose peak exceeds
 * {@code threshold} after at least {@code minSilentFrames} frames below {@code silence}.
 * Not thread-safe: feed it from one thread.
 */
public final class OnsetDetector {

    private final float threshold;
    private final float silence;
    private final int minSilentFrames;
    private int silentFrames;

    public OnsetDetector(float threshold, float silence, int minSilentFrames) {
        this.threshold = threshold;
        this.silence = silence;
        this.minSilentFrames = minSilentFrames;
        this.silentFrames = minSilentFrames; // the stream starts in silence
    }

    /** Feeds the peak of the next frame; true if this frame starts a talk spurt. */
    public boolean onset(float peak) {
        boolean onset = peak > threshold && silentFrames >= minSilentFrames;
        if (peak < silence) {
            silentFrames++;
        } else if (peak > threshold) {
            silentFrames = 0;
        }
        return onset;
    }
}
