package dev.tpo.llamacpp.testing;

import dev.tpo.llamacpp.hub.HfFile;
import dev.tpo.llamacpp.hub.HubDownloader;
import java.net.URI;
import java.nio.file.Path;

/**
 * Downloads one hub file in its own process (for the two-process lock test): {@code ENDPOINT CACHE
 * SPEC}; prints the local path. Not thread-safe (a main class).
 */
public final class DownloadMain {
  private DownloadMain() {}

  /**
   * Entry point.
   *
   * @param args endpoint, cache folder, hf: spec
   */
  public static void main(String[] args) {
    HubDownloader hub =
        HubDownloader.builder()
            .endpoint(URI.create(args[0]))
            .cacheDirectory(Path.of(args[1]))
            .progress(null)
            .build();
    System.out.println(hub.resolve(HfFile.parse(args[2])));
  }
}
