package dev.tpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both kinds of report rendered in headless Chromium from real {@code tpo run} output (see {@link
 * ReportFixtures}): no console output and no page errors, the charts' elements in the counts the
 * data calls for, the comparison's numbers equal to the test's own computation, and a
 * 10,000-prompt report interactive within a stated bound. Screenshots go to {@code
 * target/report-screenshots/} for a person to look at. Skipped, with the reason printed, when no
 * Chromium is installed.
 */
@Timeout(600)
class ReportRenderTest {
  static final Path SHOTS = Path.of("target", "report-screenshots");
  /** The bound the 10,000-prompt report must become interactive in (measured: see benchmarks). */
  static final long TTI_BOUND_MS = 15_000;
  @TempDir Path dir;

  private static void assertClean(Chromium.Page page) {
    assertThat(page.console()).as("browser console").isEmpty();
    assertThat(page.rootAttribute("data-errors")).as("page errors").contains("0");
    assertThat(page.rootAttribute("data-ready")).contains("1");
  }

  private static int count(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void singleRunShowsSpreadSettingsPhasesAndTheOpenedPrompt() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path sample = ReportFixtures.sampleDir();
    Path html = dir.resolve("run.html");
    ReportGenerator.write(sample.resolve(ReportFixtures.TPO), Optional.of(sample.resolve("traces")),
        html, "TPO D2 N5 on the sample prompts");
    Chromium.Page page = chromium.load(html, dir);
    chromium.screenshot(html, SHOTS.resolve("run.png"), dir, 1280, 1700);
    assertThat(chromium.printToPdf(html, SHOTS.resolve("run.pdf"), dir)).isBetween(2, 12);
    assertClean(page);
    String dom = page.dom();

    List<ObjectNode> lines = ReportFixtures.lines(sample.resolve(ReportFixtures.TPO));
    TreeSet<Integer> rounds = new TreeSet<>();
    lines.forEach(l -> l.get("pool").forEach(c -> rounds.add(c.get("round").asInt())));
    // One box per round over every candidate, one faint line per prompt, the mean line on top.
    assertThat(count(dom, "<g class=\"boxplot\" data-round=")).isEqualTo(rounds.size());
    assertThat(count(dom, "class=\"prompt-line\"")).isEqualTo(lines.size());
    assertThat(count(dom, "class=\"sel-line\"")).isEqualTo(1);
    assertThat(dom).contains("id=\"run-chart\"").contains("id=\"prompt-chart\"");
    // Y ticks: round numbers, none above the judge's 10.
    Matcher ticks = Pattern.compile("class=\"tick\">([^<]+)<").matcher(dom);
    List<Double> tickValues = new ArrayList<>();
    while (ticks.find()) {
      tickValues.add(Double.parseDouble(ticks.group(1)));
    }
    assertThat(tickValues).isNotEmpty().allSatisfy(t -> {
      assertThat(t).isBetween(0.0, 10.0);
      assertThat(t * 4).isEqualTo(Math.rint(t * 4));
    });
    // The settings block, from the lines' settings.
    assertThat(dom).contains("data-setting=\"mode\">tpo<").contains("data-setting=\"samples\">5<")
        .contains("data-setting=\"iterations\">2<").contains("data-setting=\"temperature\">0.7<")
        .contains("data-setting=\"top_p\">0.95<").contains("data-setting=\"seed\">7<")
        .contains("data-setting=\"model\">sim-model<").contains("data-setting=\"reward\">judge<");
    // Per-phase time and tokens (run and opened prompt), from the traces.
    assertThat(count(dom, "class=\"phase-row\"")).isEqualTo(10);
    // The opened prompt: full text, round-0 best beside the final answer, scored chosen/rejected.
    ObjectNode first = lines.get(0);
    assertThat(dom).contains(first.get("prompt").asText());
    assertThat(dom).contains("id=\"initial-vs-final\"").contains("Round-0 best (best of N)");
    assertThat(dom).contains(first.get("answer").asText());
    assertThat(count(dom, "id=\"round-\\d\"")).isEqualTo(rounds.size());
    assertThat(dom).doesNotContain("\">score unknown</span>");
    assertThat(count(dom, "<h3>Chosen <span class=\"badge\">")).isEqualTo(rounds.size() - 1);
    // Timestamps to the second.
    assertThat(dom).doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d");
    // The list: one row per prompt (all fit), keyboard reachable.
    assertThat(count(dom, "role=\"option\"")).isEqualTo(lines.size());
    assertThat(dom).contains("role=\"listbox\"").contains("tabindex=\"0\"");
    // Print: the list as a plain table (shown by the print style sheet instead of the virtual one).
    assertThat(count(dom, "<tr class=\"print-row\">")).isEqualTo(lines.size());
    assertThat(dom).contains("@media print");
  }

  @Test
  void comparisonOfTpoAndBestOfNMatchesTheTestsOwnCount() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path sample = ReportFixtures.sampleDir();
    Path html = dir.resolve("compare.html");
    ReportGenerator.ComparisonStats stats = ReportGenerator.compare(
        List.of(sample.resolve(ReportFixtures.BON), sample.resolve(ReportFixtures.TPO)),
        List.of(), html, "TPO D2 N5 vs best of 15");
    assertThat(stats.labels()).containsExactly("bon N15", "tpo D2 N5");
    Chromium.Page page = chromium.load(html, dir);
    chromium.screenshot(html, SHOTS.resolve("compare.png"), dir, 1280, 1700);
    assertThat(chromium.printToPdf(html, SHOTS.resolve("compare.pdf"), dir)).isBetween(2, 12);
    assertClean(page);
    checkHeadToHead(page.dom(), sample.resolve(ReportFixtures.BON),
        sample.resolve(ReportFixtures.TPO));
    // One solid and one dotted line per run; a box per run for tokens and for time.
    assertThat(count(page.dom(), "data-series=\"")).isEqualTo(4);
    assertThat(count(page.dom(), "<g class=\"hbox\">")).isEqualTo(4);
    assertThat(page.dom()).contains("Every prompt has a result in every run.");
    assertThat(count(page.dom(), "<tr class=\"print-row\">")).isEqualTo(5);
  }

  /**
   * A comparison with wins, ties and losses, a prompt missing from each side and a failure: B is
   * the TPO fixture with scores moved per prompt, one prompt dropped, one added, one failed.
   */
  @Test
  void comparisonCountsWinsTiesLossesAndListsUnpairedPrompts() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path a = ReportFixtures.manyPrompts(dir, 60);
    List<ObjectNode> bLines = new ArrayList<>();
    List<ObjectNode> aLines = ReportFixtures.lines(a);
    for (int i = 0; i < aLines.size(); i++) {
      ObjectNode l = aLines.get(i).deepCopy();
      if (i == 3) {
        continue; // only in A
      }
      if (i == 4) {
        bLines.add(ReportFixtures.JSON.createObjectNode().put("id", l.get("id").asText())
            .put("prompt", l.get("prompt").asText()).put("error", "HTTP 503 from the server")
            .put("error_type", "ServerException"));
        continue;
      }
      l.put("score", l.get("score").asDouble() + (i % 5 == 0 ? 0 : i % 3 == 0 ? -1.5 : 0.5));
      bLines.add(l);
    }
    bLines.add(aLines.get(0).deepCopy().put("id", "only-in-b").put("prompt", "An extra prompt"));
    Path b = dir.resolve("b.jsonl");
    ReportFixtures.write(b, bLines);
    Path html = dir.resolve("compare-mixed.html");
    ReportGenerator.ComparisonStats stats = ReportGenerator.compare(List.of(a, b),
        List.of("baseline", "candidate"), html, "mixed");
    assertThat(stats.unpaired()).isEqualTo(3);
    Chromium.Page page = chromium.load(html, dir);
    chromium.screenshot(html, SHOTS.resolve("compare-mixed.png"), dir, 1280, 2400);
    assertClean(page);
    checkHeadToHead(page.dom(), a, b);
    assertThat(count(page.dom(), "class=\"unpaired-row\"")).isEqualTo(3);
    assertThat(page.dom()).contains("only-in-b").contains(">missing<").contains(">failed<");
  }

  /** Wins, ties, losses, sign test and mean difference of B against A, computed here. */
  private static void checkHeadToHead(String dom, Path aFile, Path bFile) {
    Map<String, Double> a = new HashMap<>();
    for (ObjectNode l : ReportFixtures.lines(aFile)) {
      if (!l.hasNonNull("error")) {
        a.put(l.get("id").asText(), l.get("score").asDouble());
      }
    }
    int wins = 0;
    int ties = 0;
    int losses = 0;
    double sum = 0;
    for (ObjectNode l : ReportFixtures.lines(bFile)) {
      Double sa = a.get(l.get("id").asText());
      if (sa == null || l.hasNonNull("error")) {
        continue;
      }
      double d = l.get("score").asDouble() - sa;
      sum += d;
      if (d > 0) {
        wins++;
      } else if (d < 0) {
        losses++;
      } else {
        ties++;
      }
    }
    int n = wins + ties + losses;
    assertThat(stat(dom, "wins").replace(",", "")).isEqualTo(String.valueOf(wins));
    assertThat(stat(dom, "ties").replace(",", "")).isEqualTo(String.valueOf(ties));
    assertThat(stat(dom, "losses").replace(",", "")).isEqualTo(String.valueOf(losses));
    assertThat(dom).contains("over " + n + " prompts in both");
    assertThat(stat(dom, "win-rate")).isEqualTo(wins + losses == 0 ? "–"
        : String.format(Locale.ROOT, "%.1f%%", 100.0 * wins / (wins + losses)));
    assertThat(Double.parseDouble(stat(dom, "sign-p"))).isCloseTo(exactSignTest(wins, losses),
        org.assertj.core.data.Offset.offset(0.00005));
    double mean = sum / n;
    String shown = stat(dom, "mean-diff");
    assertThat(Double.parseDouble(shown.replace("+", ""))).isCloseTo(mean,
        org.assertj.core.data.Offset.offset(0.005));
  }

  /** The two-sided exact sign test with exact integer binomials. */
  static double exactSignTest(int wins, int losses) {
    int n = wins + losses;
    if (n == 0) {
      return 1;
    }
    BigInteger tail = BigInteger.ZERO;
    BigInteger c = BigInteger.ONE;
    for (int i = 0; i <= Math.min(wins, losses); i++) {
      tail = tail.add(c);
      c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    BigDecimal p = new BigDecimal(tail.shiftLeft(1))
        .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64);
    return Math.min(1, p.doubleValue());
  }

  private static String stat(String dom, String key) {
    Matcher m = Pattern.compile("<div class=\"stat\" data-k=\"" + key
        + "\"><span>[^<]*</span><b[^>]*>([^<]*)</b>").matcher(dom);
    assertThat(m.find()).as("stat " + key).isTrue();
    return m.group(1);
  }

  @Test
  void tenThousandPromptsBecomeInteractiveWithinTheBound() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path results = ReportFixtures.manyPrompts(dir, 10_000);
    Path html = dir.resolve("big.html");
    long start = System.nanoTime();
    ReportGenerator.Stats stats = ReportGenerator.write(results, Optional.empty(), html, "10k");
    long writeMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(stats.prompts()).isEqualTo(10_000);
    Chromium.Framed page = chromium.loadFramed(html, dir,
        List.of("[role=option]", "polyline.prompt-line", "g.boxplot", "#detail .round"));
    assertThat(page.console()).isEmpty();
    assertThat(page.attributes()).containsEntry("data-errors", "0").containsEntry("data-ready", "1");
    long tti = Long.parseLong(page.attributes().get("data-tti-ms"));
    System.out.printf(Locale.ROOT, "10,000-prompt report: %d MB, written in %d ms; interactive"
        + " %d ms after navigation in headless Chromium%n", Files.size(html) >> 20, writeMs, tti);
    assertThat(tti).as("time to interactive, ms").isLessThan(TTI_BOUND_MS);
    // The list is virtual: a screenful of rows in the DOM, not 10,000.
    assertThat(page.counts().get("[role=option]")).isBetween(5, 60);
    assertThat(page.counts().get("polyline.prompt-line")).isEqualTo(300);
    assertThat(page.counts().get("g.boxplot")).isEqualTo(3);
    // The first prompt opened once the details were read.
    assertThat(page.counts().get("#detail .round")).isEqualTo(3);
    chromium.screenshot(html, SHOTS.resolve("run-10000.png"), dir, 1280, 1400);
  }

  @Test
  void aComparisonOfTwoTenThousandPromptRunsBecomesInteractiveWithinTheBound() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path a = ReportFixtures.manyPrompts(dir, 10_000);
    List<ObjectNode> lines = ReportFixtures.lines(a);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode s = lines.get(i).get("score");
      lines.get(i).put("score", Math.max(0, s.asDouble() - (i % 4 == 0 ? 1 : 0)));
    }
    Path b = dir.resolve("b.jsonl");
    ReportFixtures.write(b, lines);
    Path html = dir.resolve("big-compare.html");
    ReportGenerator.compare(List.of(b, a), List.of(), html, "10k compare");
    Chromium.Framed page = chromium.loadFramed(html, dir, List.of("[role=option]",
        "#answers pre"));
    assertThat(page.console()).isEmpty();
    assertThat(page.attributes()).containsEntry("data-errors", "0").containsEntry("data-ready", "1");
    long tti = Long.parseLong(page.attributes().get("data-tti-ms"));
    System.out.printf(Locale.ROOT, "10,000-prompt comparison: %d MB; interactive %d ms after"
        + " navigation in headless Chromium%n", Files.size(html) >> 20, tti);
    assertThat(tti).as("time to interactive, ms").isLessThan(TTI_BOUND_MS);
    assertThat(page.counts().get("[role=option]")).isBetween(5, 60);
    assertThat(page.counts().get("#answers pre")).isEqualTo(2);
    chromium.screenshot(html, SHOTS.resolve("compare-10000.png"), dir, 1280, 1400);
  }
}
