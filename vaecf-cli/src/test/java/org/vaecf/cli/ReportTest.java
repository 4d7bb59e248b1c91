package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.data.Interactions;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.TrainingRecord;
import org.vaecf.report.BetaCurve;

/** {@code vaecf report}: the page's content, its charts as images, and the page as headless Chromium renders it. */
class ReportTest {
  @TempDir static Path dir;
  private static Path prepared;
  private static Path vae;
  private static Path dae;
  private static Path page;
  private static Path pngs;

  @BeforeAll
  static void trainTwoModelsAndReport() throws IOException {
    Interactions synthetic = new SyntheticData(SyntheticData.Settings.demo().withSize(600, 300)).generate();
    Path log = dir.resolve("log.csv");
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < synthetic.size(); k++) {
      lines.add(synthetic.users().rawId(synthetic.user(k)) + "," + synthetic.items().rawId(synthetic.item(k)));
    }
    Files.write(log, lines);
    prepared = dir.resolve("prepared");
    expectSuccess(CliTest.run("prepare", "--input", log.toString(), "--format", "csv", "--no-header",
        "--heldout-users", "50", "--out", prepared.toString()));
    vae = dir.resolve("vae");
    dae = dir.resolve("dae");
    for (String[] model : List.of(new String[] {"mult-vae", vae.toString()}, new String[] {"mult-dae", dae.toString()})) {
      expectSuccess(CliTest.run("train", "--data", prepared.toString(), "--out", model[1], "--model", model[0],
          "--epochs", "6", "--batch-size", "100", "--hidden", "32", "--latent", "8", "--threads", "1", "--quiet"));
    }
    page = dir.resolve("out/report.html");
    pngs = dir.resolve("out/charts");
    CliTest.Run report =
        CliTest.run("report", "--model", vae.toString(), "--compare", dae.toString(), "--out", page.toString(),
            "--png", pngs.toString(), "--threads", "1");
    expectSuccess(report);
    assertThat(report.out()).contains("report on vae, dae written to");
  }

  private static void expectSuccess(CliTest.Run run) {
    assertThat(run.code()).as(run.err()).isZero();
  }

  private static List<String> embeddedImages(String html) {
    List<String> images = new ArrayList<>();
    Matcher matcher = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    while (matcher.find()) {
      images.add(matcher.group(1));
    }
    return images;
  }

  @Test
  void pageEmbedsTheFourChartsAndNeedsNothingElse() throws IOException {
    String html = Files.readString(page);
    List<String> images = embeddedImages(html);
    assertThat(images).hasSize(4);
    assertThat(html.split("<img ", -1)).hasSize(5); // no image other than the embedded ones
    for (String image : images) {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image)));
      assertThat(decoded.getWidth()).isEqualTo(900);
      assertThat(decoded.getHeight()).isEqualTo(420);
    }
    assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
        .doesNotContain("<link");
    for (String id : List.of("chart-loss", "chart-beta", "chart-validation", "chart-test", "test-metrics", "data",
        "configuration")) {
      assertThat(html).contains("id=\"" + id + "\"");
    }
    for (String name : List.of("loss", "beta", "validation", "test")) {
      BufferedImage png = ImageIO.read(pngs.resolve(name + ".png").toFile());
      assertThat(png.getWidth()).as(name).isEqualTo(900);
    }
  }

  @Test
  void metricsTableShowsWhatEvaluateMeasures() throws IOException {
    for (Path model : List.of(vae, dae)) {
      CliTest.Run evaluate = CliTest.run("evaluate", "--model", model.toString(), "--data", prepared.toString(),
          "--json", "--k", "20,50,100");
      JsonNode json = new ObjectMapper().readTree(evaluate.out());
      String html = Files.readString(page);
      assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f <span class=\"se\">± %.4f</span>",
          json.get("ndcg@100").asDouble(), json.get("standardErrors").get("ndcg@100").asDouble()));
      assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f", json.get("recall@50").asDouble()));
    }
  }

  @Test
  void withoutItsPreparedDataTheReportSaysSoAndDropsTheTestChart() throws IOException {
    Path moved = dir.resolve("elsewhere");
    Path copy = dir.resolve("copy-prepared");
    copyTree(prepared, copy);
    expectSuccess(CliTest.run("train", "--data", copy.toString(), "--out", moved.toString(), "--epochs", "1",
        "--hidden", "16", "--latent", "4", "--threads", "1", "--quiet"));
    AtomicDirectory.deleteRecursively(copy);
    Path out = dir.resolve("lonely.html");
    CliTest.Run report = CliTest.run("report", "--model", moved.toString(), "--out", out.toString());
    expectSuccess(report);
    assertThat(report.err()).contains("no test metrics for elsewhere").contains("give --data DIR");
    String html = Files.readString(out);
    assertThat(html).contains("no test metrics: the prepared data was not found");
    assertThat(embeddedImages(html)).hasSize(3);
  }

  @Test
  void dataOfAnotherModelIsRefused() throws IOException {
    Path other = dir.resolve("other-prepared");
    Path log = dir.resolve("other.csv");
    List<String> lines = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      for (int i = 0; i < 6; i++) {
        lines.add("u" + u + ",x" + ((u + i) % 17));
      }
    }
    Files.write(log, lines);
    expectSuccess(CliTest.run("prepare", "--input", log.toString(), "--format", "csv", "--no-header",
        "--heldout-users", "5", "--out", other.toString()));
    CliTest.Run report = CliTest.run("report", "--model", vae.toString(), "--data", other.toString(), "--out",
        dir.resolve("x.html").toString());
    assertThat(report.code()).isEqualTo(1);
    assertThat(report.err()).contains("model vae was not trained on").doesNotContain("\tat ");
    assertThat(dir.resolve("x.html")).doesNotExist();
  }

  @Test
  void betaCurveAgreesWithTheBetaRecordedAtEveryEpochEnd() {
    TrainingRecord record = ModelBundle.read(vae).training();
    BetaCurve curve = BetaCurve.of(record).orElseThrow();
    assertThat(curve.steps()[0]).isZero();
    for (EpochRecord epoch : record.history()) {
      int index = java.util.Arrays.binarySearch(curve.steps(), epoch.steps() - 1);
      assertThat(index).as("epoch %d's last step is drawn", epoch.epoch()).isNotNegative();
      assertThat(curve.betas()[index]).isCloseTo(epoch.beta(), within(1e-6));
    }
    assertThat(curve.betas()[curve.betas().length - 1]).isCloseTo(0.2, within(1e-9)); // auto: cap at 80 % of steps
  }

  @Test
  void rendersInHeadlessChromiumWithItsImagesAndNoConsoleErrors() throws Exception {
    var executable = HeadlessChromium.executable();
    assumeThat(executable)
        .as("skipped: no Chromium found (Debian: apt-get install chromium; .ci/run installs it)")
        .isPresent();
    Path profile = Files.createDirectories(dir.resolve("chromium/profile"));
    try (HeadlessChromium browser = HeadlessChromium.start(executable.get(), profile)) {
      browser.open(page, 1100);
      JsonNode images =
          browser.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight])");
      assertThat(images).hasSize(4);
      for (JsonNode image : images) {
        assertThat(image.toString()).isEqualTo("[true,900,420]");
      }
      assertThat(browser.evaluate("document.querySelectorAll('#test-metrics tbody tr').length").asInt())
          .isEqualTo(2);
      byte[] shot = browser.screenshot();
      Path file = Path.of("target", "report-screenshot.png");
      Files.createDirectories(file.getParent());
      Files.write(file, shot);
      BufferedImage screenshot = ImageIO.read(new ByteArrayInputStream(shot));
      assertThat(screenshot.getWidth()).isEqualTo(1100);
      assertThat(screenshot.getHeight()).isGreaterThan(4 * 420);
      assertThat(distinctColours(screenshot)).as("a rendered page, not a blank one").isGreaterThan(100);
      assertThat(browser.errors()).isEmpty();
    }
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
