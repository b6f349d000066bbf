package dev.odinreactive.audio.apm.internal;

/**
 * One processing stage on 10 ms blocks of 480 samples at 48 kHz, in place. Stateful and not
 * thread-safe: the caller processes blocks of one stream in order on one thread at a time.
 */
public interface Stage {
    /** Samples per block: 10 ms at 48 kHz. */
    int BLOCK = 480;

    /** Processes one block in place. */
    void process(float[] block);

    /** Delay this stage adds, in samples (constant for the stage's lifetime). */
    default int latency() {
        return 0;
    }
}
