package dev.odinreactive.client;

/**
 * Counters of one remote media's jitter buffer (a snapshot): ODIN's eight
 * {@code OdinAudioStreamStats} counters, as odin-audio's jitter buffer keeps them, plus frame
 * counters. Every packet offered ends in exactly one of processed, too early, too late, dropped,
 * invalid or repeated, or is still buffered; {@code packetsLost} is outside that sum.
 *
 * @param packetsTotal           packets offered to the buffer
 * @param packetsProcessed       packets decoded and played in their slot
 * @param packetsArrivedTooEarly packets more than 2 s (100 frames) ahead of playout; discarded
 * @param packetsArrivedTooLate  packets whose slot had already been played (concealed); discarded;
 *                               each also makes the buffer's delay grow
 * @param packetsDropped         packets the buffer discarded itself: to shrink its delay (catch-up
 *                               on a clean path, the 200 ms maximum), by a re-anchoring reset (the
 *                               sender restarted its clock) or by {@link RemoteMedia#reset()}
 * @param packetsInvalid         packets that are not a well-formed 20 ms Opus packet (or off the
 *                               timestamp grid)
 * @param packetsRepeated        duplicates of a sequence number or slot already received
 * @param packetsLost            sequence numbers skipped between packets played in order: never
 *                               received in time (concealed by PLC or rebuilt from FEC)
 * @param framesConcealed        frames synthesised by Opus PLC (losses, underruns, delay growth)
 * @param framesRecovered        lost frames rebuilt from the next packet's in-band FEC
 * @param framesNotDelivered     frames a slow {@link RemoteMedia#frames()} subscriber missed
 */
public record RemoteMediaStats(long packetsTotal, long packetsProcessed, long packetsArrivedTooEarly,
                               long packetsArrivedTooLate, long packetsDropped, long packetsInvalid,
                               long packetsRepeated, long packetsLost, long framesConcealed,
                               long framesRecovered, long framesNotDelivered) {
}
