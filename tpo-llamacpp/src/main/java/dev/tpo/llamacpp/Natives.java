package dev.tpo.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import dev.tpo.core.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the binding's natives once per process (from a custom folder when asked) and routes
 * llama.cpp's log to SLF4J (logger {@code dev.tpo.llamacpp.native}). Thread-safe (synchronized).
 */
final class Natives {
  private static final String LIB_PATH = "de.kherud.llama.lib.path";
  private static final String TMPDIR = "de.kherud.llama.tmpdir";
  private static final Logger NATIVE_LOG = LoggerFactory.getLogger("dev.tpo.llamacpp.native");
  private static Path loadedFrom;
  private static boolean loaded;

  private Natives() {}

  static synchronized void init(Path folder) {
    if (loaded) {
      if (folder != null && !Objects.equals(folder.toAbsolutePath(), loadedFrom)) {
        throw new ConfigurationException(
            "the llama.cpp natives are already loaded from "
                + (loadedFrom == null ? "the binding's jar" : loadedFrom.toString())
                + "; nativesPath " + folder + " must be set before the first model of the process"
                + " loads (or start the JVM with -D" + LIB_PATH + "=" + folder + ")");
      }
      return;
    }
    if (folder != null) {
      if (!Files.isDirectory(folder)) {
        throw new ConfigurationException(
            "LlamaCppModel.nativesPath " + folder + " is not a folder: give the folder holding"
                + " libjllama.so (Linux), libjllama.dylib (macOS) or jllama.dll (Windows)");
      }
      System.setProperty(LIB_PATH, folder.toAbsolutePath().toString());
      loadedFrom = folder.toAbsolutePath();
    } else if (System.getProperty(LIB_PATH) != null) {
      loadedFrom = Path.of(System.getProperty(LIB_PATH)).toAbsolutePath();
    }
    privateExtractionFolder();
    try {
      routeLogs();
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      throw new ConfigurationException(
          "cannot load the llama.cpp natives"
              + (loadedFrom == null ? " from the binding's jar" : " from " + loadedFrom) + " ("
              + e + "): on a platform without bundled natives, or for GPU natives, build"
              + " libjllama (see docs/local-models.md) and set LlamaCppModel.nativesPath",
          e);
    }
    loaded = true;
  }

  /**
   * The binding extracts its library to {@code java.io.tmpdir/libjllama.so}, the same path for
   * every JVM, replacing the file and deleting it at exit: two processes starting at once can load
   * each other's half-written or deleted copy. Unless the user chose a folder, each process gets
   * its own.
   */
  private static void privateExtractionFolder() {
    if (System.getProperty(TMPDIR) != null) {
      return;
    }
    try {
      Path dir = Files.createTempDirectory("tpo-jllama-");
      dir.toFile().deleteOnExit();
      System.setProperty(TMPDIR, dir.toString());
    } catch (java.io.IOException | RuntimeException e) {
      NATIVE_LOG.debug("cannot create a private folder for the natives; using java.io.tmpdir", e);
    }
  }

  /** (Re)installs the SLF4J log route; llama.cpp resets its logger whenever a model loads. */
  static synchronized void routeLogs() {
    LlamaModel.setLogger(LogFormat.TEXT, Natives::log);
  }

  private static void log(LogLevel level, String message) {
    String m = message == null ? "" : message.strip();
    if (m.isEmpty() || m.equals(".")) {
      return;
    }
    switch (level) {
      case ERROR:
        NATIVE_LOG.error(m);
        break;
      case WARN:
        NATIVE_LOG.warn(m);
        break;
      case INFO:
        NATIVE_LOG.debug(m);
        break;
      default:
        NATIVE_LOG.trace(m);
    }
  }
}
