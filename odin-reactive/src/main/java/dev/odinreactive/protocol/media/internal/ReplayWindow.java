package dev.odinreactive.protocol.media.internal;

/**
 * Sliding anti-replay window over 63-bit packet numbers, the bitmap scheme of RFC 6479: a ring
 * of 64-bit words, where sliding forward only clears whole words. A packet number is acceptable
 * if it is newer than every accepted one, or at most {@value #SIZE}-1 behind the newest and not
 * accepted before.
 *
 * <p>Use {@link #check} before authenticating (cheap early reject) and {@link #accept} only after
 * the AEAD tag verified, so forged datagrams never move the window. <b>Not thread-safe</b>.
 */
public final class ReplayWindow {

    /** Packets accepted behind the newest one (the newest itself included). */
    public static final int SIZE = 1024;

    public static final int OK = 0;
    public static final int DUPLICATE = 1;
    public static final int TOO_OLD = 2;

    // ring must span SIZE bits plus one spare word, rounded up to a power of two
    private static final int WORDS = 32;
    private static final int WORD_MASK = WORDS - 1;

    private final long[] bitmap = new long[WORDS];
    private long newest = -1;

    /** The newest accepted packet number, -1 before the first. */
    public long newest() {
        return newest;
    }

    /** Read-only check: {@link #OK}, {@link #DUPLICATE} or {@link #TOO_OLD}. */
    public int check(long pn) {
        if (pn < 0) {
            return TOO_OLD;
        }
        if (pn > newest) {
            return OK;
        }
        if (newest - pn >= SIZE) {
            return TOO_OLD;
        }
        long word = bitmap[(int) ((pn >>> 6) & WORD_MASK)];
        return (word & (1L << (pn & 63))) != 0 ? DUPLICATE : OK;
    }

    /** Checks and, if acceptable, records the packet number. Returns like {@link #check}. */
    public int accept(long pn) {
        int result = check(pn);
        if (result != OK) {
            return result;
        }
        if (pn > newest) {
            long fromWord = newest >> 6; // -1 >> 6 == -1 before the first packet
            long toWord = pn >>> 6;
            long steps = Math.min(toWord - fromWord, WORDS);
            for (long i = 1; i <= steps; i++) {
                bitmap[(int) ((fromWord + i) & WORD_MASK)] = 0L;
            }
            newest = pn;
        }
        bitmap[(int) ((pn >>> 6) & WORD_MASK)] |= 1L << (pn & 63);
        return OK;
    }
}
