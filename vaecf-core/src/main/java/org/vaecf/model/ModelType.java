package org.vaecf.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The two models of Liang et al. (WWW 2018). */
public enum ModelType {
  /** The variational autoencoder with a multinomial likelihood, trained with a KL term annealed to a cap. */
  MULT_VAE("mult-vae"),
  /** The denoising autoencoder with a multinomial likelihood: no sampling, no KL. */
  MULT_DAE("mult-dae");

  private final String cliName;

  ModelType(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in {@code model.json}. */
  public String cliName() {
    return cliName;
  }

  /**
   * The type named {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static ModelType fromCliName(String name) {
    for (ModelType type : values()) {
      if (type.cliName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "'; expected one of "
            + Arrays.stream(values()).map(ModelType::cliName).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
