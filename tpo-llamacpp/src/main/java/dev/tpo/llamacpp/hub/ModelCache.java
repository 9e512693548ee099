package dev.tpo.llamacpp.hub;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where downloaded models live: {@code TPO_CACHE} when set, else the platform's cache folder ({@code
 * $XDG_CACHE_HOME/tpo/models} or {@code ~/.cache/tpo/models} on Linux, {@code
 * ~/Library/Caches/tpo/models} on macOS, {@code %LOCALAPPDATA%\tpo\models} on Windows). A hub file
 * {@code hf:OWNER/REPO/FILE@REV} is stored at {@code CACHE/OWNER/REPO/REV/FILE}, so a file placed
 * there by hand is used without any network access.
 *
 * <p>Stateless; thread-safe.
 */
public final class ModelCache {
  private ModelCache() {}

  /**
   * The cache folder for this process's environment.
   *
   * @return the folder (not created)
   */
  public static Path defaultDirectory() {
    return directory(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
  }

  /**
   * The cache folder for the given environment; for tests.
   *
   * @param env environment variables
   * @param osName the {@code os.name} property
   * @param home the user's home folder
   * @return the folder
   */
  public static Path directory(Map<String, String> env, String osName, String home) {
    String tpoCache = env.get("TPO_CACHE");
    if (tpoCache != null && !tpoCache.isBlank()) {
      return Path.of(tpoCache);
    }
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      String local = env.get("LOCALAPPDATA");
      Path base = local != null && !local.isBlank() ? Path.of(local) : Path.of(home, "AppData", "Local");
      return base.resolve("tpo").resolve("models");
    }
    if (os.contains("mac")) {
      return Path.of(home, "Library", "Caches", "tpo", "models");
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
    return base.resolve("tpo").resolve("models");
  }

  /**
   * Where a hub file is stored inside a cache folder.
   *
   * @param cache the cache folder
   * @param file the hub file
   * @return {@code cache/OWNER/REPO/REVISION/FILE}
   */
  public static Path pathOf(Path cache, HfFile file) {
    Path p = cache.resolve(file.owner()).resolve(file.repo()).resolve(file.revision());
    for (String segment : file.file().split("/")) {
      p = p.resolve(segment);
    }
    return p;
  }
}
