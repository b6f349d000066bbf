package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.apm.ApmFrame;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * A frame stage that runs {@code before} until {@code switchNow} turns true, then {@code after}
 * for good (checked before each frame). Both stages must emit exactly one frame per input frame,
 * synchronously (as odin-audio's APM operators do); each runs on an inner unicast sink that the
 * caller's thread feeds, so the switch is exact to the frame.
 */
final class ApmSwitch {

    private final Function<Flux<float[]>, Flux<ApmFrame>> before;
    private final BooleanSupplier switchNow;
    private final Supplier<Function<Flux<float[]>, Flux<ApmFrame>>> after;
    private Inner current;
    private boolean switched;

    private static final class Inner {
        /** Holds at most the one frame in flight: the stage answers each frame synchronously. */
        final Sinks.Many<float[]> in = Sinks.many().unicast().onBackpressureBuffer(Queues.<float[]>one().get());
        final Disposable out;
        ApmFrame last;

        Inner(Function<Flux<float[]>, Flux<ApmFrame>> stage) {
            out = in.asFlux().transform(stage).subscribe(f -> last = f);
        }

        ApmFrame process(float[] frame) {
            last = null;
            in.tryEmitNext(frame);
            ApmFrame f = last;
            if (f == null) {
                throw new IllegalStateException("APM stage did not emit synchronously");
            }
            return f;
        }

        void dispose() {
            in.tryEmitComplete();
            out.dispose();
        }
    }

    private ApmSwitch(Function<Flux<float[]>, Flux<ApmFrame>> before, BooleanSupplier switchNow,
                      Supplier<Function<Flux<float[]>, Flux<ApmFrame>>> after) {
        this.before = before;
        this.switchNow = switchNow;
        this.after = after;
    }

    /** The switching stage; every subscription gets its own pair of inner stages. */
    static Function<Flux<float[]>, Flux<ApmFrame>> switching(Function<Flux<float[]>, Flux<ApmFrame>> before,
                                                              BooleanSupplier switchNow,
                                                              Supplier<Function<Flux<float[]>, Flux<ApmFrame>>> after) {
        return frames -> Flux.defer(() -> {
            ApmSwitch s = new ApmSwitch(before, switchNow, after);
            return frames.map(s::process).doFinally(sig -> s.dispose());
        });
    }

    private ApmFrame process(float[] frame) {
        if (!switched && switchNow.getAsBoolean()) {
            switched = true;
            if (current != null) {
                current.dispose();
            }
            current = new Inner(after.get());
        } else if (current == null) {
            current = new Inner(before);
        }
        return current.process(frame);
    }

    private void dispose() {
        if (current != null) {
            current.dispose();
            current = null;
        }
    }
}
