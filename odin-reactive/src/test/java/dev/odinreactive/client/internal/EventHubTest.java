package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventHubTest {

    final Object lock = new Object();
    final Scheduler scheduler = Schedulers.newBoundedElastic(4, 1000, "hub-test");
    long seq; // guarded by lock: the "state" (number of events emitted)

    @AfterEach
    void dispose() {
        scheduler.dispose();
    }

    static RoomEvent ev(long n) {
        return new RoomEvent.MessageReceived(n, Bytes.EMPTY);
    }

    void emitNext(EventHub hub) {
        synchronized (lock) {
            seq++;
            hub.emit(ev(seq));
        }
    }

    Flux<RoomEvent> subscribe(EventHub hub) {
        return hub.subscribe(() -> List.of(new RoomEvent.RoomUserDataChanged(Bytes.utf8(Long.toString(seq)))));
    }

    @Test
    void lateSubscriberGetsReplayThenLiveEventsThenCompletion() {
        EventHub hub = new EventHub(lock, 64, false, scheduler);
        emitNext(hub);
        emitNext(hub);
        StepVerifier.create(subscribe(hub))
                .expectNext(new RoomEvent.RoomUserDataChanged(Bytes.utf8("2")))
                .then(() -> emitNext(hub))
                .expectNext(ev(3))
                .then(hub::complete)
                .verifyComplete();
        StepVerifier.create(subscribe(hub))
                .expectNext(new RoomEvent.RoomUserDataChanged(Bytes.utf8("3")))
                .verifyComplete();
        assertThat(hub.subscriberCount()).isZero();
    }

    /** Subscribing while another thread emits: replay + live must be gap-free and duplicate-free. */
    @Test
    void noGapNoDuplicateUnderConcurrentEmission() throws Exception {
        EventHub hub = new EventHub(lock, 100_000, false, scheduler);
        int total = 20_000;
        CompletableFuture<Void> emitter = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i++) {
                emitNext(hub);
            }
            hub.complete();
        });
        List<CompletableFuture<List<RoomEvent>>> subs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subs.add(subscribe(hub).collectList().toFuture());
            Thread.onSpinWait();
        }
        emitter.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<List<RoomEvent>> f : subs) {
            List<RoomEvent> events = f.get(10, TimeUnit.SECONDS);
            long start = Long.parseLong(((RoomEvent.RoomUserDataChanged) events.get(0)).userData().asUtf8());
            for (int k = 1; k < events.size(); k++) {
                assertThat(((RoomEvent.MessageReceived) events.get(k)).senderPeerId()).isEqualTo(start + k);
            }
            assertThat(start + events.size() - 1).isEqualTo(total);
        }
        assertThat(hub.dropped()).isZero();
    }

    @Test
    void slowSubscriberDropsOldestAndIsCountedWithoutSlowingOthers() throws Exception {
        EventHub hub = new EventHub(lock, 64, false, scheduler);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> slowSeen = new ArrayList<>();
        CountDownLatch slowDone = new CountDownLatch(1);
        subscribe(hub).skip(1).subscribe(e -> {
            try {
                release.await(5, TimeUnit.SECONDS); // blocks its delivery thread, never the emitter
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            slowSeen.add(((RoomEvent.MessageReceived) e).senderPeerId());
        }, err -> { }, slowDone::countDown);
        Semaphore fastProgress = new Semaphore(0);
        CompletableFuture<List<RoomEvent>> fast = subscribe(hub).skip(1)
                .doOnNext(e -> fastProgress.release()).collectList().toFuture();

        for (int batch = 0; batch < 50; batch++) {
            for (int i = 0; i < 20; i++) {
                emitNext(hub);
            }
            // the fast subscriber keeps up batch by batch while the slow one is stuck
            assertThat(fastProgress.tryAcquire(20, 5, TimeUnit.SECONDS)).isTrue();
        }
        hub.complete();
        assertThat(fast.get(5, TimeUnit.SECONDS)).hasSize(1000);
        release.countDown();
        assertThat(slowDone.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(slowSeen.get(slowSeen.size() - 1)).as("newest events kept").isEqualTo(1000);
        assertThat(slowSeen).isSorted();
        assertThat(slowSeen.size()).isLessThanOrEqualTo(64 + EventHub.PREFETCH + 1);
        assertThat(hub.dropped()).isEqualTo(1000 - slowSeen.size());
    }

    @Test
    void errorPolicyFailsOnlyTheSlowSubscriber() {
        EventHub hub = new EventHub(lock, 4, true, scheduler);
        StepVerifier.create(subscribe(hub), 0)
                .then(() -> {
                    for (int i = 0; i < 100; i++) {
                        emitNext(hub);
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(e -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OdinException.class)
                        .extracting(x -> ((OdinException) x).reason()).isEqualTo(OdinException.Reason.EVENTS_OVERFLOW))
                .verify(Duration.ofSeconds(5));
        assertThat(hub.dropped()).isPositive();
        StepVerifier.create(subscribe(hub))
                .expectNextCount(1)
                .then(() -> emitNext(hub))
                .expectNext(ev(101))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }
}
