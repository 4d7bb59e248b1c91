package org.vaecf.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.TrainingRecord;

/**
 * The per-epoch training history as two files of the bundle, for plotting and spreadsheets without parsing
 * {@code model.json}:
 *
 * <ul>
 *   <li>{@code history.json} — {@code validationMetric}, {@code bestEpoch}, {@code bestValidation}, the anneal
 *       settings, and {@code epochs}: one object per epoch with {@code epoch, loss, nll, kl, beta, <metric>, seconds,
 *       learningRate, steps, best};
 *   <li>{@code history.csv} — the same rows with a header {@code epoch,loss,nll,kl,beta,<metric>,seconds,
 *       learning_rate,steps,best}; a missing validation value is an empty field.
 * </ul>
 *
 * {@code <metric>} is the validation metric's name, e.g. {@code ndcg@100}; {@code best} marks the epoch whose weights
 * the bundle holds. Both are derived from the training record; {@code model.json} stays the source of truth.
 */
public final class HistoryFiles {
  /** The JSON file's name in a bundle. */
  public static final String JSON_FILE = "history.json";
  /** The CSV file's name in a bundle. */
  public static final String CSV_FILE = "history.csv";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HistoryFiles() {}

  /** The content of {@code history.json}. */
  public static byte[] json(TrainingRecord record) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("validationMetric", record.validationMetric());
    root.put("bestEpoch", record.bestEpoch());
    root.put("bestValidation", finiteOrNull(record.bestValidation()));
    root.put("annealCap", record.settings().get("annealCap"));
    root.put("totalAnnealSteps", record.settings().get("totalAnnealSteps"));
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (EpochRecord epoch : record.history()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", epoch.epoch());
      row.put("loss", finiteOrNull(epoch.loss()));
      row.put("nll", finiteOrNull(epoch.nll()));
      row.put("kl", finiteOrNull(epoch.kl()));
      row.put("beta", epoch.beta());
      row.put(record.validationMetric(), finiteOrNull(epoch.validation()));
      row.put("seconds", epoch.seconds());
      row.put("learningRate", epoch.learningRate());
      row.put("steps", epoch.steps());
      row.put("best", epoch.epoch() == record.bestEpoch());
      epochs.add(row);
    }
    root.put("epochs", epochs);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the history could not be written as JSON", e);
    }
  }

  /** The content of {@code history.csv}. */
  public static byte[] csv(TrainingRecord record) {
    StringBuilder text = new StringBuilder();
    text.append("epoch,loss,nll,kl,beta,").append(record.validationMetric())
        .append(",seconds,learning_rate,steps,best\n");
    for (EpochRecord epoch : record.history()) {
      text.append(epoch.epoch()).append(',')
          .append(number(epoch.loss())).append(',')
          .append(number(epoch.nll())).append(',')
          .append(number(epoch.kl())).append(',')
          .append(number(epoch.beta())).append(',')
          .append(number(epoch.validation())).append(',')
          .append(number(epoch.seconds())).append(',')
          .append(number(epoch.learningRate())).append(',')
          .append(epoch.steps()).append(',')
          .append(epoch.epoch() == record.bestEpoch()).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "";
    }
    // β and the learning rate are float32 in training: print the float's shortest decimal (0.025, not
    // 0.02500000037252903); everything else reads back to the same double
    float narrow = (float) value;
    return narrow == value ? Float.toString(narrow) : Double.toString(value);
  }

  private static Object finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
