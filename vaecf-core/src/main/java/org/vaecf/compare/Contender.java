package org.vaecf.compare;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vaecf.model.ModelType;

/** A recommender that can take part in a {@link Comparison}. */
public enum Contender {
  /** Mult-VAE (Liang et al., WWW 2018), best epoch by validation NDCG@100. */
  MULT_VAE("mult-vae", ModelType.MULT_VAE),
  /** Mult-DAE (Liang et al., WWW 2018), best epoch by validation NDCG@100. */
  MULT_DAE("mult-dae", ModelType.MULT_DAE),
  /** EASE (Steck, WWW 2019), λ by validation NDCG@100. */
  EASE("ease", null),
  /** Items ranked by their number of training users, the same list for everyone. */
  POPULARITY("popularity", null);

  private final String cliName;
  private final ModelType modelType;

  Contender(String cliName, ModelType modelType) {
    this.cliName = cliName;
    this.modelType = modelType;
  }

  /** The name used on the command line and in results. */
  public String cliName() {
    return cliName;
  }

  /** The autoencoder type for Mult-VAE and Mult-DAE, empty for the baselines. */
  public Optional<ModelType> modelType() {
    return Optional.ofNullable(modelType);
  }

  /**
   * The contender named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static Contender fromCliName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Contender contender : values()) {
      if (contender.cliName.equals(wanted)) {
        return contender;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "'; expected one of "
            + Arrays.stream(values()).map(Contender::cliName).collect(Collectors.joining(", ")));
  }
}
