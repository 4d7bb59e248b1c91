package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.Recommender;
import org.vaecf.infer.ScoredItem;
import org.vaecf.io.ModelBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code vaecf recommend}: the top items for a new user given the items they clicked (fold-in, no retraining). */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    header = "Recommend for a new user from the items they clicked (fold-in, no retraining).",
    description = {
      "Recommend for a user given the items they clicked: the items are folded in through the encoder",
      "(deterministic: z = µ), the given items are excluded, unknown ids are reported and ignored."
    })
final class RecommendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
  Path modelDir;

  @Option(
      names = "--items",
      required = true,
      split = ",",
      paramLabel = "ID",
      description = "The user's items (raw ids, comma-separated).")
  List<String> items;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (k <= 0) { // before the model is read: a usage error, as recommend-all's
      throw new CommandLine.ParameterException(spec.commandLine(), "-k must be > 0, got " + k);
    }
    Recommendation recommendation;
    try (Recommender recommender = new Recommender(ModelBundle.read(modelDir))) {
      recommendation = recommender.recommend(items, k);
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("items", recommendation.items());
      out.put("unknownItems", recommendation.unknownItems());
      out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
      return 0;
    }
    if (!recommendation.unknownItems().isEmpty()) {
      err().println("warning: unknown items ignored: " + String.join(", ", recommendation.unknownItems()));
    }
    out().printf("%4s  %-20s %s%n", "rank", "item", "probability");
    int rank = 1;
    for (ScoredItem item : recommendation.items()) {
      out().printf("%4d  %-20s %.6f%n", rank++, item.id(), item.score());
    }
    return 0;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
