package dev.odinreactive.client;

/**
 * Counters of one remote media's jitter buffer (a snapshot; ODIN's eight jitter counters plus
 * frame delivery). Every packet offered ends in exactly one of processed, too early, too late,
 * dropped, invalid or repeated, or is still buffered.
 *
 * @param packetsTotal           packets offered to the buffer
 * @param packetsProcessed       packets decoded (or skipped while nobody listened) in their slot
 * @param packetsArrivedTooEarly packets more than 2 s (100 frames) ahead of playout; discarded
 * @param packetsArrivedTooLate  packets whose slot had already been played or concealed; discarded
 * @param packetsDropped         packets the buffer discarded to keep its delay bounded (more than
 *                               3 frames queued) or by {@link RemoteMedia#reset()}
 * @param packetsInvalid         packets that are not a well-formed 20 ms Opus packet
 * @param packetsRepeated        duplicates of a buffered sequence number
 * @param packetsLost            sequence numbers never received in time (concealed or recovered by FEC)
 * @param framesConcealed        frames synthesised by PLC/FEC (losses and underruns)
 * @param framesNotDelivered     frames a slow {@link RemoteMedia#frames()} subscriber missed
 */
public record RemoteMediaStats(long packetsTotal, long packetsProcessed, long packetsArrivedTooEarly,
                               long packetsArrivedTooLate, long packetsDropped, long packetsInvalid,
                               long packetsRepeated, long packetsLost, long framesConcealed,
                               long framesNotDelivered) {
}
