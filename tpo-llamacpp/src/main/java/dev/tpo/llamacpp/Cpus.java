package dev.tpo.llamacpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Counts physical CPU cores. Stateless; thread-safe. */
final class Cpus {
  private Cpus() {}

  /**
   * The physical cores this process may use: on Linux the distinct (package, core) pairs of
   * {@code /proc/cpuinfo}, never more than {@link Runtime#availableProcessors()} (which honours
   * container limits); elsewhere the available processors.
   *
   * @return at least 1
   */
  static int physicalCores() {
    int available = Runtime.getRuntime().availableProcessors();
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Math.max(1, available);
    }
    try {
      List<String> lines = Files.readAllLines(cpuinfo);
      Set<String> cores = new HashSet<>();
      String pkg = "0";
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (key.equals("physical id")) {
          pkg = value;
        } else if (key.equals("core id")) {
          cores.add(pkg + ":" + value);
        }
      }
      int physical = cores.isEmpty() ? available : cores.size();
      return Math.max(1, Math.min(physical, available));
    } catch (IOException | RuntimeException e) {
      return Math.max(1, available);
    }
  }
}
