/** Shared DSP helpers of odin-audio; not public API, may change without notice. */
package dev.odinreactive.audio.internal;
