package dev.tpo.internal;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor used when a {@link dev.tpo.Tpo} is given none, created on first use; its threads
 * are named {@code tpo-run-N} and never keep the JVM alive.
 *
 * <ul>
 *   <li>On Java 21 and newer: a new virtual thread per run. A run blocks its thread while it waits
 *       for the model, and a blocked virtual thread holds no platform thread, so thousands of runs
 *       in flight cost no more than their heap.
 *   <li>On Java 17 to 20, or with the system property {@code tpo.virtualThreads=false}: a cached
 *       pool of daemon platform threads, one per run in flight; idle ones end after a minute.
 * </ul>
 *
 * <p>{@code optimizeAll} bounds how many runs are in flight either way. Thread-safe.
 */
public final class DefaultExecutor {
  /** The system property that turns virtual threads off when set to {@code false}. */
  public static final String VIRTUAL_THREADS_PROPERTY = "tpo.virtualThreads";

  private DefaultExecutor() {}

  private static final class Holder {
    static final ExecutorService INSTANCE = create(
        !"false".equalsIgnoreCase(System.getProperty(VIRTUAL_THREADS_PROPERTY, "true").trim()));
  }

  /**
   * The shared default executor.
   *
   * @return the executor
   */
  public static ExecutorService get() {
    return Holder.INSTANCE;
  }

  /**
   * A new executor of the kind {@link #get()} uses.
   *
   * @param virtualThreads whether to use virtual threads where the Java runtime has them
   * @return a new executor; shut it down when done
   */
  public static ExecutorService create(boolean virtualThreads) {
    if (virtualThreads) {
      Optional<ExecutorService> virtual = virtualThreadPerTask();
      if (virtual.isPresent()) {
        return virtual.get();
      }
    }
    return Executors.newCachedThreadPool(new Daemons());
  }

  /**
   * {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tpo-run-", 1).factory())},
   * looked up reflectively so that the library still compiles and runs on Java 17.
   */
  private static Optional<ExecutorService> virtualThreadPerTask() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      builder = ofVirtual.getMethod("name", String.class, long.class)
          .invoke(builder, "tpo-run-", 1L);
      ThreadFactory factory = (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
      Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
      return Optional.of((ExecutorService) perTask.invoke(null, factory));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static final class Daemons implements ThreadFactory {
    private final AtomicLong next = new AtomicLong();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "tpo-run-" + next.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
