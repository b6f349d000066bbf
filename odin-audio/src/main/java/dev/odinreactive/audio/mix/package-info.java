/**
 * Mixing: {@link dev.odinreactive.audio.mix.Mixer} combines a changing set of clocked frame
 * streams into one clocked, limited output that also serves as the echo canceller's reverse
 * stream.
 */
package dev.odinreactive.audio.mix;
