package dev.tpo.benchmarks;

/**
 * The hello-world JVM that measure 10 starts beside {@code tpo run} ({@link StartupMeasure}): the
 * least a JVM start costs on the machine.
 */
final class HelloWorld {
  private HelloWorld() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
