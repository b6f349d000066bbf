package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.opus.OpusCodecException;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.protocol.media.MediaPacket;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small adaptive jitter buffer for one remote media, played out by the room's 20 ms clock
 * ({@link #tick}). Interim implementation until odin-audio's jitter buffer lands (see the report).
 *
 * <p>Policy: IDLE until a packet is buffered, then PLAYING from the oldest buffered sequence; each
 * tick plays the next sequence number. A missing packet with later ones buffered is lost: it is
 * recovered from the next packet's FEC data (or concealed) and skipped. An empty buffer is an
 * underrun: the tick conceals and <i>waits</i> for the packet (the delay grows by one frame) — up
 * to 10 ticks, then the stream counts as ended (timeout). More than {@value #MAX_QUEUED} queued
 * packets drop the oldest (the delay shrinks back). The end-of-talk packet ends the stream.
 * Sequence numbers are extended to 64 bits. All methods synchronized (offer on the network
 * thread, tick on the audio thread).
 */
final class PlayoutBuffer {

    static final int FRAME = 960; // 20 ms at 48 kHz mono
    private static final int MAX_QUEUED = 3;
    private static final int MAX_AHEAD = 100;
    private static final int UNDERRUN_TIMEOUT_TICKS = 10;

    private final OpusDecoder decoder = new OpusDecoder(AudioFormat.OPUS_MONO);
    private final TreeMap<Long, MediaPacket> queue = new TreeMap<>();
    private boolean playing;
    private long next;             // next extended sequence to play (while playing)
    private long lastPlayed = -1;  // last extended sequence played or skipped
    private long highest = -1;     // highest extended sequence seen
    private int underruns;
    private boolean endOfTalkPlayed; // the last packet played carried the end-of-talk flag

    long total, processed, tooEarly, tooLate, dropped, invalid, repeated, lost, concealed;

    /** Outcome of one tick. */
    enum Tick { SILENT, AUDIO, STARTED, ENDED }

    synchronized void offer(MediaPacket p) {
        total++;
        byte[] payload = p.payload();
        if (payload.length > 0 && OpusDecoder.packetSamples(payload, 0, payload.length, 48_000) != FRAME) {
            invalid++;
            return;
        }
        long seq = extend(p.sequence());
        if (seq <= lastPlayed) {
            tooLate++;
            return;
        }
        if (lastPlayed >= 0 && seq > lastPlayed + MAX_AHEAD) {
            tooEarly++;
            return;
        }
        if (queue.putIfAbsent(seq, p) != null) {
            repeated++;
            return;
        }
        highest = Math.max(highest, seq);
        while (queue.size() > MAX_QUEUED + (playing ? 0 : 2)) {
            Map.Entry<Long, MediaPacket> oldest = queue.pollFirstEntry();
            dropped++;
            if (playing && oldest.getKey() == next) {
                lastPlayed = next;
                next++;
            }
        }
    }

    private long extend(int sequence) {
        long s = Integer.toUnsignedLong(sequence);
        if (highest < 0) {
            return s;
        }
        long base = highest & ~0xFFFF_FFFFL;
        long candidate = base | s;
        if (candidate < highest - 0x8000_0000L) {
            candidate += 0x1_0000_0000L;
        } else if (candidate > highest + 0x8000_0000L && candidate >= 0x1_0000_0000L) {
            candidate -= 0x1_0000_0000L;
        }
        return candidate;
    }

    /**
     * Plays one 20 ms slot into {@code out} (960 samples) when {@code decode}; without it the
     * buffer still advances (nobody listens). Returns what happened.
     */
    synchronized Tick tick(float[] out, boolean decode) {
        if (!playing) {
            if (queue.isEmpty()) {
                return Tick.SILENT;
            }
            playing = true;
            underruns = 0;
            next = queue.firstKey();
            Tick t = playNext(out, decode);
            return t == Tick.ENDED ? Tick.ENDED : Tick.STARTED;
        }
        return playNext(out, decode);
    }

    private Tick playNext(float[] out, boolean decode) {
        MediaPacket p = queue.remove(next);
        if (p != null) {
            underruns = 0;
            processed++;
            lastPlayed = next++;
            endOfTalkPlayed = p.endOfTalk();
            if (decode) {
                decode(p.payload(), out);
            }
            if (p.endOfTalk()) {
                playing = false;
                dropped += queue.size();
                queue.clear();
                return Tick.ENDED;
            }
            return Tick.AUDIO;
        }
        if (!queue.isEmpty()) { // a gap: lost packet, recover from the next one's FEC
            lost++;
            concealed++;
            lastPlayed = next++;
            MediaPacket following = queue.get(next);
            if (decode) {
                try {
                    if (following != null && following.payload().length > 0) {
                        decoder.recover(following.payload(), 0, following.payload().length, out, FRAME);
                    } else {
                        decoder.conceal(out, FRAME);
                    }
                } catch (OpusCodecException e) {
                    java.util.Arrays.fill(out, 0f);
                }
            }
            return Tick.AUDIO;
        }
        if (++underruns > UNDERRUN_TIMEOUT_TICKS) {
            playing = false;
            return Tick.ENDED;
        }
        concealed++;
        if (decode) {
            decoder.conceal(out, FRAME);
        }
        return Tick.AUDIO;
    }

    private void decode(byte[] payload, float[] out) {
        if (payload.length == 0) {
            java.util.Arrays.fill(out, 0f);
            return;
        }
        try {
            decoder.decode(payload, 0, payload.length, out);
        } catch (OpusCodecException e) {
            invalid++;
            processed--;
            java.util.Arrays.fill(out, 0f);
        }
    }

    /** Idle, nothing queued, and the stream ended with its end-of-talk packet (not a timeout). */
    synchronized boolean idleAfterEndOfTalk() {
        return !playing && queue.isEmpty() && endOfTalkPlayed;
    }

    synchronized boolean isPlaying() {
        return playing;
    }

    synchronized void reset() {
        dropped += queue.size();
        queue.clear();
        playing = false;
        decoder.reset();
    }

    synchronized void close() {
        queue.clear();
        decoder.close();
    }
}
