/**
 * Receive side of a voice stream: {@link dev.odinreactive.audio.jitter.JitterBuffer} reorders,
 * de-duplicates and conceals ODIN voice packets and plays them out on a clock, with
 * {@link dev.odinreactive.audio.jitter.AudioStreamStats} mirroring ODIN's counters.
 */
package dev.odinreactive.audio.jitter;
