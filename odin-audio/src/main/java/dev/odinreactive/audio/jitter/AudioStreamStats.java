package dev.odinreactive.audio.jitter;

/**
 * Counters of one remote stream's jitter buffer, field for field ODIN's
 * {@code OdinAudioStreamStats}. All count packets and only grow; every packet offered ends in
 * exactly one of processed, too early, too late, dropped, invalid or repeated (or is still
 * buffered), so {@code total = processed + tooEarly + tooLate + dropped + invalid + repeated +
 * buffered}. {@code lost} counts packets that never arrived and is outside that sum.
 *
 * @param packetsTotal           every packet offered to the buffer
 * @param packetsProcessed       packets decoded and played out in their slot
 * @param packetsArrivedTooEarly packets whose slot lies more than the buffer window (2 s) ahead
 *                               of playout; discarded
 * @param packetsArrivedTooLate  packets whose slot had already been played (concealed) when they
 *                               arrived; discarded; they also make the buffer grow
 * @param packetsDropped         packets discarded by the buffer itself: by a reset (a run of
 *                               out-of-window packets, e.g. the sender restarted its clock) or to
 *                               shrink the delay (catch-up after a burst, the maximum delay)
 * @param packetsInvalid         packets that are not a well-formed 20 ms Opus packet, or whose
 *                               timestamp is not on the 1800-tick grid
 * @param packetsRepeated        duplicates: a sequence number or slot already received
 * @param packetsLost            sequence numbers skipped between packets played in order: sent
 *                               but never received in time (a loss later filled by a too-late
 *                               packet still counts here and in too late)
 */
public record AudioStreamStats(long packetsTotal, long packetsProcessed, long packetsArrivedTooEarly,
                               long packetsArrivedTooLate, long packetsDropped, long packetsInvalid,
                               long packetsRepeated, long packetsLost) {
}
