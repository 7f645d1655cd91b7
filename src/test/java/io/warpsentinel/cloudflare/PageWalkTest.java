package io.warpsentinel.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The walk's counts are shared by the listing and the device inventory paged beside it, two threads. */
class PageWalkTest {

    @Test
    void requestsAndRateLimitWaitsCountedFromTwoThreadsAtOnceAreNeitherLostNorPastTheMaximum() {
        PageWalk walk = new PageWalk("acc-1", "status=all", 10, Instant.EPOCH, Instant.MAX);
        Duration max = Duration.ofSeconds(50_000);
        AtomicInteger granted = new AtomicInteger();
        Runnable side = () -> {
            for (int i = 0; i < 100_000; i++) {
                walk.countRequest();
                if (walk.addRateLimitWait(Duration.ofSeconds(1), max)) {
                    granted.incrementAndGet();
                }
            }
        };

        CompletableFuture.allOf(CompletableFuture.runAsync(side), CompletableFuture.runAsync(side)).join();

        assertThat(walk.getRequests()).isEqualTo(200_000);
        assertThat(granted.get()).isEqualTo(50_000);
        assertThat(walk.getRateLimitWait()).isEqualTo(max);
    }
}
