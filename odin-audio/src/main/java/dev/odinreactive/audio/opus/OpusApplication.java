package dev.odinreactive.audio.opus;

/** Opus application mode (libopus {@code OPUS_APPLICATION_*}). */
public enum OpusApplication {
    /** Speech: SILK-based, in-band FEC available (ODIN's default). */
    VOIP,
    /** Music and general audio. */
    AUDIO,
    /** Lowest delay, CELT only (no FEC). */
    RESTRICTED_LOWDELAY
}
