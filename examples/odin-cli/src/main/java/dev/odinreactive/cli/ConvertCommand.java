package dev.odinreactive.cli;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.io.AudioFileException;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.audio.opus.OpusApplication;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.resample.Resampler;
import dev.odinreactive.cli.internal.AudioFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code odin convert}: WAV and Ogg Opus in either direction, by file extension, resampling as needed. */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {
                "Convert between WAV (.wav) and Ogg Opus (.opus, .ogg), chosen by file extension.",
                "Resamples with odin-audio's band-limited resampler and converts mono/stereo as asked.",
                "Opus output: ODIN's encoder settings with application AUDIO; decoded Opus is 48 kHz unless --rate."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:converted", "1:cannot write the output", "2:bad input (unreadable or invalid file, bad option value)"})
final class ConvertCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Input file: .wav, .opus or .ogg.")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file: .wav, .opus or .ogg.")
    private Path out;

    @Option(names = {"-r", "--rate"}, paramLabel = "HZ",
            description = "Output sample rate (WAV: 8000-192000; Opus: 8000, 12000, 16000, 24000 or 48000). "
                    + "Default: the input rate for WAV output, 48000 for Opus.")
    private Integer rate;

    @Option(names = {"-c", "--channels"}, paramLabel = "N", description = "Output channels, 1 or 2. Default: as the input.")
    private Integer channels;

    @Option(names = {"-b", "--bitrate"}, paramLabel = "BPS", defaultValue = "64000",
            description = "Opus bitrate in bit/s (6000-510000). Default: ${DEFAULT-VALUE}.")
    private int bitrate;

    @Option(names = "--float", description = "Write 32-bit float WAV instead of 16-bit PCM.")
    private boolean floatWav;

    @Override
    public Integer call() {
        try {
            return convert();
        } catch (AudioFileException | IllegalArgumentException | dev.odinreactive.audio.opus.OpusCodecException e) {
            spec.commandLine().getErr().println("odin convert: " + e.getMessage());
            return OdinCli.EXIT_BAD_INPUT;
        } catch (IOException e) {
            spec.commandLine().getErr().println("odin convert: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
    }

    private int convert() throws IOException {
        AudioFiles.checkType(in);
        AudioFiles.checkType(out);
        AudioClip clip = AudioFiles.isOpus(in) ? OggOpusFile.read(in) : WavFile.read(in);
        int targetChannels = channels == null ? clip.format().channels() : channels;
        int targetRate = rate != null ? rate : AudioFiles.isOpus(out) ? 48_000 : clip.format().sampleRate();
        AudioFormat target = AudioFormat.of(targetRate, targetChannels); // validates
        OpusConfig opus = AudioFiles.isOpus(out)
                ? OpusConfig.defaults().withApplication(OpusApplication.AUDIO).withSampleRate(targetRate)
                .withChannels(targetChannels).withBitrate(bitrate)
                : null;
        float[] samples = Frames.convertChannels(clip.samples(), clip.format().channels(), targetChannels);
        if (clip.format().sampleRate() != targetRate) {
            samples = Resampler.resample(samples, clip.format().withChannels(targetChannels), targetRate);
        }
        AudioClip converted = new AudioClip(target, samples);
        if (opus != null) {
            OggOpusFile.write(out, converted, opus);
        } else {
            WavFile.write(out, converted, floatWav ? WavEncoding.FLOAT32 : WavEncoding.PCM16);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s (%s, %.2f s) -> %s (%s)%n", in, clip.format(),
                clip.seconds(), out, target);
        return 0;
    }
}
