package dev.odinreactive.client.internal.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.apm.ApmFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The APM stage of local medias switches from pass-through to the APM chain between two frames. */
class ApmSwitchTest {

    private static Function<Flux<float[]>, Flux<ApmFrame>> tagging(float tag, AtomicInteger subscriptions) {
        return frames -> Flux.defer(() -> {
            subscriptions.incrementAndGet();
            return frames.map(f -> new ApmFrame(new float[] {f[0] + tag}, Float.NaN, -120f, true));
        });
    }

    @Test
    void switchesExactlyAtTheFrameAfterTheFlagTurnsAndNeverBack() {
        AtomicBoolean configured = new AtomicBoolean();
        AtomicInteger beforeSubs = new AtomicInteger();
        AtomicInteger afterSubs = new AtomicInteger();
        Sinks.Many<float[]> in = Sinks.many().unicast().onBackpressureBuffer();
        Flux<Float> out = in.asFlux()
                .transform(ApmSwitch.switching(tagging(100, beforeSubs), configured::get, () -> tagging(200, afterSubs)))
                .map(f -> f.samples()[0]);
        StepVerifier.create(out)
                .then(() -> in.tryEmitNext(new float[] {1}))
                .expectNext(101f)
                .then(() -> in.tryEmitNext(new float[] {2}))
                .expectNext(102f)
                .then(() -> configured.set(true))
                .then(() -> in.tryEmitNext(new float[] {3}))
                .expectNext(203f)
                .then(() -> configured.set(false)) // the switch is for good
                .then(() -> in.tryEmitNext(new float[] {4}))
                .expectNext(204f)
                .then(in::tryEmitComplete)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(beforeSubs).hasValue(1);
        assertThat(afterSubs).hasValue(1);
    }

    @Test
    void configuredBeforeTheFirstFrameSkipsPassThrough() {
        AtomicInteger beforeSubs = new AtomicInteger();
        AtomicInteger afterSubs = new AtomicInteger();
        StepVerifier.create(Flux.just(new float[] {1}, new float[] {2})
                        .transform(ApmSwitch.switching(tagging(100, beforeSubs), () -> true, () -> tagging(200, afterSubs)))
                        .map(f -> f.samples()[0]))
                .expectNext(201f, 202f)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(beforeSubs).hasValue(0);
    }

    @Test
    void aStageThatDoesNotAnswerSynchronouslyErrors() {
        Function<Flux<float[]>, Flux<ApmFrame>> lagging = frames -> frames.skip(1)
                .map(f -> new ApmFrame(f, Float.NaN, -120f, true));
        StepVerifier.create(Flux.just(new float[] {1}).transform(ApmSwitch.switching(lagging, () -> false, () -> lagging)))
                .expectError(IllegalStateException.class)
                .verify(Duration.ofSeconds(5));
    }
}
