package dev.tpo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DefaultExecutorTest {

  private static boolean isVirtual(Thread t) throws Exception {
    if (Runtime.version().feature() < 21) {
      return false;
    }
    Method m = Thread.class.getMethod("isVirtual");
    return (boolean) m.invoke(t);
  }

  private static Thread threadOf(ExecutorService executor) throws Exception {
    return executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
  }

  @Test
  void runsOnVirtualThreadsWhereTheRuntimeHasThemElsePlatformDaemons() throws Exception {
    ExecutorService executor = DefaultExecutor.create(true);
    try {
      Thread t = threadOf(executor);
      assertThat(t.getName()).startsWith("tpo-run-");
      assertThat(t.isDaemon()).isTrue();
      assertThat(isVirtual(t)).isEqualTo(Runtime.version().feature() >= 21);
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void platformThreadsWhenVirtualThreadsAreTurnedOff() throws Exception {
    ExecutorService executor = DefaultExecutor.create(false);
    try {
      Thread t = threadOf(executor);
      assertThat(t.getName()).startsWith("tpo-run-");
      assertThat(t.isDaemon()).isTrue();
      assertThat(isVirtual(t)).isFalse();
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void manyBlockedRunsProceedTogether() throws Exception {
    ExecutorService executor = DefaultExecutor.create(true);
    try {
      int n = 500;
      CountDownLatch allStarted = new CountDownLatch(n);
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(executor.submit(() -> {
          allStarted.countDown();
          return allStarted.await(20, TimeUnit.SECONDS);
        }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get(25, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      executor.shutdown();
    }
  }
}
