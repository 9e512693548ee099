package dev.tpo.adapter.http;

import java.util.ServiceLoader;

/**
 * The library's WARN and INFO lines: through SLF4J when the application has an SLF4J provider
 * (logback, slf4j-simple, log4j-slf4j2-impl, ...), else through the JDK's {@link System.Logger}
 * (java.util.logging by default). An application without an SLF4J provider thus sees the
 * library's warnings once each, and never SLF4J's three "No SLF4J providers were found" lines,
 * which SLF4J prints the first time a logger is asked for.
 *
 * <p>Immutable; thread-safe.
 */
public final class LibraryLog {
  private static final boolean SLF4J = slf4jProviderPresent();

  private final String name;
  private volatile Object delegate;

  private LibraryLog(String name) {
    this.name = name;
  }

  /**
   * A log named after the class; nothing is looked up until the first line is written.
   *
   * @param type the class that logs
   * @return the log
   */
  public static LibraryLog of(Class<?> type) {
    return new LibraryLog(type.getName());
  }

  /**
   * Writes a warning.
   *
   * @param message the text, with {@code {}} placeholders as SLF4J has them
   * @param args the values of the placeholders
   */
  public void warn(String message, Object... args) {
    if (SLF4J) {
      ((org.slf4j.Logger) delegate()).warn(message, args);
    } else {
      ((System.Logger) delegate()).log(System.Logger.Level.WARNING, format(message, args));
    }
  }

  /**
   * Writes an information line.
   *
   * @param message the text, with {@code {}} placeholders as SLF4J has them
   * @param args the values of the placeholders
   */
  public void info(String message, Object... args) {
    if (SLF4J) {
      ((org.slf4j.Logger) delegate()).info(message, args);
    } else {
      ((System.Logger) delegate()).log(System.Logger.Level.INFO, format(message, args));
    }
  }

  private Object delegate() {
    Object d = delegate;
    if (d == null) {
      d = SLF4J ? org.slf4j.LoggerFactory.getLogger(name) : System.getLogger(name);
      delegate = d;
    }
    return d;
  }

  private static String format(String message, Object... args) {
    StringBuilder sb = new StringBuilder();
    int from = 0;
    for (Object a : args) {
      int at = message.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      sb.append(message, from, at).append(a);
      from = at + 2;
    }
    return sb.append(message.substring(from)).toString();
  }

  private static boolean slf4jProviderPresent() {
    try {
      return ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class,
          LibraryLog.class.getClassLoader()).findFirst().isPresent();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }
}
