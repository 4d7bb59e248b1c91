package org.vaecf.model;

import java.util.List;
import java.util.Objects;

/**
 * The architecture of a model, apart from the item count (which the data fixes).
 *
 * <p>Mult-VAE is {@code [I → hidden… → 2·latent]} (the last layer gives µ and log σ²), then the reparameterization,
 * then {@code [latent → …hidden reversed → I]}; tanh after every layer but the encoder's last and the decoder's last.
 * Mult-DAE is {@code [I → hidden… → latent → …hidden reversed → I]} with tanh after every layer but the last.
 *
 * @param type Mult-VAE or Mult-DAE
 * @param hiddenDims widths of the hidden layers between the items and the latent layer, outermost first. Paper:
 *     {@code [600]} for Mult-VAE; the notebook's Mult-DAE has none ({@code [I → 200 → I]})
 * @param latentDim width of the latent layer. Paper: 200
 * @param dropout probability of dropping an input entry during training. Paper: 0.5
 */
public record ModelConfig(ModelType type, List<Integer> hiddenDims, int latentDim, float dropout) {
  /** Paper default hidden layers of Mult-VAE. */
  public static final List<Integer> PAPER_VAE_HIDDEN = List.of(600);
  /** Paper default latent width. */
  public static final int PAPER_LATENT = 200;
  /** Paper default input dropout. */
  public static final float PAPER_DROPOUT = 0.5f;

  public ModelConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hiddenDims, "hiddenDims");
    hiddenDims = List.copyOf(hiddenDims);
    for (int i = 0; i < hiddenDims.size(); i++) {
      if (hiddenDims.get(i) <= 0) {
        throw new IllegalArgumentException("hiddenDims[" + i + "] must be > 0, got " + hiddenDims.get(i));
      }
    }
    if (latentDim <= 0) {
      throw new IllegalArgumentException("latentDim must be > 0, got " + latentDim);
    }
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  /** The defaults of {@code type}: the paper's Mult-VAE {@code [I→600→200→600→I]}, the notebook's Mult-DAE. */
  public static ModelConfig defaults(ModelType type) {
    return type == ModelType.MULT_VAE
        ? new ModelConfig(type, PAPER_VAE_HIDDEN, PAPER_LATENT, PAPER_DROPOUT)
        : new ModelConfig(type, List.of(), PAPER_LATENT, PAPER_DROPOUT);
  }

  /** A copy with other hidden widths. */
  public ModelConfig withHiddenDims(List<Integer> dims) {
    return new ModelConfig(type, dims, latentDim, dropout);
  }

  /** A copy with another latent width. */
  public ModelConfig withLatentDim(int dim) {
    return new ModelConfig(type, hiddenDims, dim, dropout);
  }

  /** A copy with another dropout probability. */
  public ModelConfig withDropout(float rate) {
    return new ModelConfig(type, hiddenDims, latentDim, rate);
  }

  /** Whether the model samples a latent code and has a KL term. */
  public boolean variational() {
    return type == ModelType.MULT_VAE;
  }
}
