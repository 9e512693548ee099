package dev.tpo.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor used when a {@link dev.tpo.Tpo} is given none: a cached pool of daemon threads named
 * {@code tpo-run-N}, created on first use. Idle threads end after a minute, so it never keeps the
 * JVM alive or holds threads after the work is done. Runs block their thread while they wait for
 * the model; {@code optimizeAll} bounds how many run at once.
 *
 * <p>Thread-safe.
 */
public final class DefaultExecutor {
  private DefaultExecutor() {}

  private static final class Holder {
    static final ExecutorService INSTANCE = Executors.newCachedThreadPool(new Daemons());
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

  /**
   * The shared default executor.
   *
   * @return the executor
   */
  public static ExecutorService get() {
    return Holder.INSTANCE;
  }
}
