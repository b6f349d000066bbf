package dev.odinreactive.client.internal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** A live source's hand-off to a stalled audio thread holds at most 8 chunks and drops the oldest. */
class LiveHandOffTest {

    @Test
    void atMostEightChunksWaitForAStalledAudioThread() throws InterruptedException {
        Scheduler dsp = Schedulers.newSingle("test-dsp");
        try {
            CountDownLatch stall = new CountDownLatch(1);
            dsp.schedule(() -> {
                try {
                    stall.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicInteger dropped = new AtomicInteger();
            List<Integer> handedOver = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            // 100 chunks arrive (synchronously, on this thread) while the audio thread is stalled
            DefaultLocalMedia.liveHandOff(Flux.range(0, 100).map(i -> new float[] {i}), dsp, dropped::incrementAndGet)
                    .subscribe(c -> handedOver.add((int) c[0]), e -> { }, done::countDown);
            assertThat(dropped.get()).as("dropped while the audio thread stalled").isEqualTo(100 - DefaultLocalMedia.HANDOFF_CHUNKS);

            stall.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handedOver).as("chunks that waited").hasSize(DefaultLocalMedia.HANDOFF_CHUNKS)
                    // the first was already handed over when the rest came; then the newest
                    .containsExactlyElementsOf(IntStream.concat(IntStream.of(0), IntStream.range(93, 100)).boxed().toList());
        } finally {
            dsp.dispose();
        }
    }
}
