package dev.odinreactive.audio.apm.internal;

/**
 * Talk analysis of 10 ms blocks: speech probability (when the VAD is on), RMS dBFS, and the talk
 * decision of the VAD and the volume gate ({@link TalkDecision}: hysteresis, 300 ms hang-over).
 * A {@value #PRE_ROLL_BLOCKS}-block pre-roll: blocks leave {@link #process} that many blocks
 * late, and a block leaves marked talking when the decision was on for it or for any of the
 * following pre-roll blocks, so word onsets are not clipped.
 */
public final class Analysis {
    public static final int PRE_ROLL_BLOCKS = 2;
    private static final int Q = PRE_ROLL_BLOCKS + 1;

    private VoiceActivityDetector vad;
    private final TalkDecision vadDecision = new TalkDecision(0.9f, 0.8f);
    private final TalkDecision gateDecision = new TalkDecision(-30f, -40f);
    private boolean vadOn;
    private boolean gateOn;
    private final float[][] queue = new float[Q][Stage.BLOCK];
    private final float[] qProb = new float[Q];
    private final float[] qRms = new float[Q];
    private final boolean[] qTalk = new boolean[Q];
    private int head;

    /** Probability, RMS and talk decision of the block last written by {@link #process}. */
    public float probability;
    public float rmsDbfs;
    public boolean talking;

    public void configure(boolean vadOn, float vadAttack, float vadRelease,
                          boolean gateOn, float gateAttack, float gateRelease) {
        if (vadOn && vad == null) {
            vad = new VoiceActivityDetector();
        }
        if (!vadOn) {
            vad = null;
        }
        this.vadOn = vadOn;
        this.gateOn = gateOn;
        vadDecision.set(vadAttack, vadRelease);
        gateDecision.set(gateAttack, gateRelease);
    }

    /** Measures one block; returns in place the block from {@value #PRE_ROLL_BLOCKS} blocks ago. */
    public void process(float[] block) {
        double p = 0;
        for (float v : block) {
            p += v * v;
        }
        float rms = p <= 1e-12 * block.length ? -120f : (float) (10 * Math.log10(p / block.length));
        float prob = vad != null ? vad.analyse(block) : Float.NaN;
        boolean vadOpen = vadDecision.update(vad != null ? prob : 0f);
        boolean gateOpen = gateDecision.update(rms);
        boolean talk = (!vadOn || vadOpen) && (!gateOn || gateOpen);
        // enqueue this block, dequeue the oldest
        int tail = (head + PRE_ROLL_BLOCKS) % Q;
        float[] slot = queue[tail];
        System.arraycopy(block, 0, slot, 0, Stage.BLOCK);
        qProb[tail] = prob;
        qRms[tail] = rms;
        qTalk[tail] = talk;
        boolean anyTalk = false;
        for (int i = 0; i < Q; i++) {
            anyTalk |= qTalk[i];
        }
        System.arraycopy(queue[head], 0, block, 0, Stage.BLOCK);
        probability = qProb[head];
        rmsDbfs = qRms[head];
        talking = anyTalk || (!vadOn && !gateOn);
        head = (head + 1) % Q;
    }

    public int latency() {
        return PRE_ROLL_BLOCKS * Stage.BLOCK;
    }
}
