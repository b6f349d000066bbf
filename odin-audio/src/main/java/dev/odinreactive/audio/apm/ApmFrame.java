package dev.odinreactive.audio.apm;

/**
 * A processed 48 kHz mono frame with its analysis, as emitted by {@link Apm#chain},
 * {@link Apm#voiceActivity} and {@link Apm#volumeGate}.
 *
 * @param samples the processed samples (a fresh array the receiver owns; same length as the input frame)
 * @param speechProbability voice activity probability in [0, 1] of these samples ({@code NaN} when the VAD is off)
 * @param rmsDbfs RMS level of these samples before gain control, dBFS (-120 for digital silence)
 * @param talking the talk decision: VAD and volume gate (those enabled) engaged, with hysteresis,
 *                300 ms hang-over and 20 ms pre-roll; always true when both are off
 */
public record ApmFrame(float[] samples, float speechProbability, float rmsDbfs, boolean talking) {
}
