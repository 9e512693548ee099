package dev.tpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for report tests: a screenshot and a DOM dump of an HTML file. When no Chromium
 * is installed the calling test is skipped with the reason printed (install it with {@code apt-get
 * install -y chromium}).
 */
public final class Chromium {
  private static final List<String> CANDIDATES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /**
   * The installed Chromium, or a skipped test.
   *
   * @return the browser
   */
  public static Chromium requireInstalled() {
    Optional<Path> found = CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      String reason = "headless Chromium not found at " + CANDIDATES
          + "; the report rendering check is skipped (apt-get install -y chromium to run it)";
      System.out.println("SKIPPED: " + reason);
      Assumptions.assumeTrue(false, reason);
    }
    return new Chromium(found.get());
  }

  private List<String> base(Path profile) {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath()));
    return cmd;
  }

  /**
   * Renders the page to a PNG.
   *
   * @param html the page
   * @param png where the screenshot goes
   * @param work a scratch directory for the browser profile
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public void screenshot(Path html, Path png, Path work) throws IOException, InterruptedException {
    screenshot(html, png, work, 1280, 2000);
  }

  /**
   * Renders the page to a PNG of the given window size.
   *
   * @param html the page
   * @param png where the screenshot goes (parent directories are created)
   * @param work a scratch directory for the browser profile
   * @param width the window width in pixels
   * @param height the window height in pixels
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public void screenshot(Path html, Path png, Path work, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    List<String> cmd = base(Files.createTempDirectory(work, "profile"));
    cmd.add("--hide-scrollbars");
    cmd.add("--screenshot=" + png.toAbsolutePath());
    cmd.add("--window-size=" + width + "," + height);
    cmd.add(html.toUri().toString());
    run(cmd, work.resolve("screenshot.log"));
  }

  /**
   * Prints the page to PDF as a person printing it would (print style sheet, A4/Letter pages).
   *
   * @param html the page
   * @param pdf where the PDF goes (parent directories are created)
   * @param work a scratch directory for the browser profile
   * @return the number of pages
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public int printToPdf(Path html, Path pdf, Path work) throws IOException, InterruptedException {
    Files.createDirectories(pdf.toAbsolutePath().getParent());
    Files.deleteIfExists(pdf);
    List<String> cmd = base(Files.createTempDirectory(work, "profile"));
    cmd.add("--no-pdf-header-footer");
    cmd.add("--print-to-pdf=" + pdf.toAbsolutePath());
    cmd.add(html.toUri().toString());
    run(cmd, work.resolve("print.log"));
    String text = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("/Type\\s*/Page(?![s])").matcher(text);
    int pages = 0;
    while (m.find()) {
      pages++;
    }
    return pages;
  }

  /**
   * A page after its scripts ran, with what it wrote to the browser console.
   *
   * @param dom the serialized DOM
   * @param console the console lines the browser logged for the page (messages, uncaught errors)
   * @param wallMillis how long the browser ran, start to exit
   */
  public record Page(String dom, List<String> console, long wallMillis) {
    /**
     * The value of an attribute of the {@code <html>} element.
     *
     * @param name the attribute
     * @return its value, empty when absent
     */
    public Optional<String> rootAttribute(String name) {
      int end = dom.indexOf('>', dom.indexOf("<html"));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "\\s" + java.util.regex.Pattern.quote(name) + "=\"([^\"]*)\"")
          .matcher(dom.substring(0, end + 1));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  /**
   * Loads a page, runs its scripts and returns the DOM and the console lines (Chromium's own
   * {@code --enable-logging=stderr} output, lines tagged {@code CONSOLE}).
   *
   * @param html the page
   * @param work a scratch directory for the browser profile
   * @return the page
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public Page load(Path html, Path work) throws IOException, InterruptedException {
    List<String> cmd = base(Files.createTempDirectory(work, "profile"));
    cmd.add("--enable-logging=stderr");
    cmd.add("--v=0");
    cmd.add("--dump-dom");
    cmd.add(html.toUri().toString());
    Path out = Files.createTempFile(work, "dom", ".html");
    long start = System.nanoTime();
    run(cmd, out);
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    List<String> console = Files.readAllLines(Path.of(out + ".stderr"), StandardCharsets.UTF_8)
        .stream().filter(l -> l.contains(":CONSOLE")).toList();
    return new Page(Files.readString(out, StandardCharsets.UTF_8), console, wall);
  }

  /**
   * Renders a report page both ways and checks what every report shows: a screenshot that is a
   * real image (over 20 KB) and a DOM with the run chart (an SVG polyline), the first prompt's
   * chart and its rounds 0 to 2.
   *
   * @param html the report page
   * @param png where the screenshot goes; an older one is deleted first
   * @param work a scratch directory for the browser profile
   * @return the serialized DOM, for the caller's own checks
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public String renderReport(Path html, Path png, Path work)
      throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    screenshot(html, png, work);
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(20_000);
    String dom = dumpDom(html, work);
    assertThat(dom).contains("id=\"run-chart\"").contains("<svg").contains("<polyline");
    assertThat(dom).contains("id=\"prompt-chart\"");
    assertThat(dom).contains("id=\"round-0\"").contains("id=\"round-1\"")
        .contains("id=\"round-2\"");
    return dom;
  }

  /**
   * The DOM after the page's scripts ran.
   *
   * @param html the page
   * @param work a scratch directory for the browser profile
   * @return the serialized DOM
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public String dumpDom(Path html, Path work) throws IOException, InterruptedException {
    List<String> cmd = base(Files.createTempDirectory(work, "profile"));
    cmd.add("--dump-dom");
    cmd.add(html.toUri().toString());
    Path out = work.resolve("dom.html");
    run(cmd, out);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /**
   * What a framed page showed: the attributes of its {@code <html>} element and how many elements
   * match each selector asked for, once the page has loaded.
   *
   * @param attributes the root element's attributes
   * @param counts the number of elements per selector
   * @param console the console lines the browser logged
   */
  public record Framed(java.util.Map<String, String> attributes,
      java.util.Map<String, Integer> counts, List<String> console) {}

  /**
   * Loads a page inside a frame of a small page that reads it when it has loaded, so that a very
   * large page need not be serialized back (as {@link #load} does).
   *
   * @param html the page
   * @param work a scratch directory for the browser profile and the framing page
   * @param selectors CSS selectors whose matches to count
   * @return what the page showed
   * @throws IOException when the browser cannot run
   * @throws InterruptedException when interrupted
   */
  public Framed loadFramed(Path html, Path work, List<String> selectors)
      throws IOException, InterruptedException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Path frame = Files.createTempFile(work, "frame", ".html");
    Files.writeString(frame, "<!doctype html><html><body><pre id=\"out\"></pre>"
        + "<iframe id=\"f\" width=\"1280\" height=\"900\" src=\""
        + html.toUri() + "\"></iframe><script>var sel = " + json.writeValueAsString(selectors)
        + ";document.getElementById('f').addEventListener('load', function () {"
        + "var d = this.contentDocument, o = {attributes: {}, counts: {}};"
        + "for (var a of d.documentElement.attributes) { o.attributes[a.name] = a.value; }"
        + "sel.forEach(function (s) { o.counts[s] = d.querySelectorAll(s).length; });"
        + "document.getElementById('out').textContent = JSON.stringify(o); });</script>"
        + "</body></html>", StandardCharsets.UTF_8);
    List<String> cmd = base(Files.createTempDirectory(work, "profile"));
    cmd.add("--allow-file-access-from-files");
    cmd.add("--enable-logging=stderr");
    cmd.add("--v=0");
    cmd.add("--dump-dom");
    cmd.add(frame.toUri().toString());
    Path out = Files.createTempFile(work, "dom", ".html");
    run(cmd, out);
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<pre id=\"out\">(.*?)</pre>",
        java.util.regex.Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).as("the framed page reported back: %s", dom).isTrue();
    String text = m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
    com.fasterxml.jackson.databind.JsonNode o = json.readTree(text);
    java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
    o.get("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
    java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    o.get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
    List<String> console = Files.readAllLines(Path.of(out + ".stderr"), StandardCharsets.UTF_8)
        .stream().filter(l -> l.contains(":CONSOLE")).toList();
    return new Framed(attrs, counts, console);
  }

  private static void run(List<String> cmd, Path stdout) throws IOException, InterruptedException {
    Path log = Path.of(stdout + ".stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(log.toFile()).start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish in 240 s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue() + ": "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }
}
