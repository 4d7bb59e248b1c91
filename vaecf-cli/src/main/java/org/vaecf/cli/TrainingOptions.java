package org.vaecf.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.train.TrainConfig;
import picocli.CommandLine.Option;

/** The model and training options shared by {@code train} and {@code demo}; unset options take the paper's values. */
final class TrainingOptions {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingOptions.class);
  /** Training users and items of ML-20M after the paper's preprocessing: the data the paper's 200,000 steps fit. */
  static final int ML20M_TRAIN_USERS = 116_677;

  static final int ML20M_ITEMS = 20_108;

  @Option(
      names = "--model",
      paramLabel = "mult-vae|mult-dae",
      description = "Model to train (default: ${DEFAULT-VALUE}).",
      defaultValue = "mult-vae",
      converter = ModelTypeConverter.class)
  ModelType model;

  @Option(names = "--epochs", description = "Passes over the training users (default: 200).")
  Integer epochs;

  @Option(names = "--batch-size", description = "Users per step (default: 500).")
  Integer batchSize;

  @Option(names = "--lr", description = "Adam learning rate (default: 1e-3).")
  Float learningRate;

  @Option(
      names = "--hidden",
      paramLabel = "W[,W…]|none",
      description = "Hidden layer widths, outermost first (default: 600 for mult-vae, none for mult-dae).")
  String hidden;

  @Option(names = "--latent", description = "Latent width (default: 200).")
  Integer latent;

  @Option(names = "--dropout", description = "Input dropout probability while training (default: 0.5).")
  Float dropout;

  @Option(names = "--lam", description = "L2 penalty λ·ΣW² per batch (default: 0 for mult-vae, 0.01 for mult-dae).")
  Float lam;

  @Option(names = "--anneal-cap", description = "Largest KL weight β (default: 0.2).")
  Double annealCap;

  @Option(
      names = "--total-anneal-steps",
      paramLabel = "N|auto",
      description = {
        "Steps over which β would reach 1 (β = min(cap, step/N)). auto reaches the cap after 80%% of the planned",
        "steps. Default: 200000 on ML-20M prepared as in the paper (the paper's value), auto elsewhere."
      })
  String totalAnnealSteps;

  @Option(names = "--seed", description = "Seed of initialisation, shuffling and noise (default: 98765).")
  Long seed;

  @Option(
      names = "--threads",
      description = "Threads for BLAS and the loops (default: the number of cores). Same seed and threads, same model.")
  Integer threads;

  /** The architecture from the options. */
  ModelConfig modelConfig() {
    ModelConfig config = ModelConfig.defaults(model);
    if (hidden != null) {
      config = config.withHiddenDims(parseWidths(hidden));
    }
    if (latent != null) {
      config = config.withLatentDim(latent);
    }
    if (dropout != null) {
      config = config.withDropout(dropout);
    }
    return config;
  }

  /** The training settings from the options, for data described by {@code stats}. */
  TrainConfig trainConfig(PreparationStats stats) {
    TrainConfig.Builder builder = TrainConfig.builder(model);
    if (epochs != null) {
      builder.epochs(epochs);
    }
    if (batchSize != null) {
      builder.batchSize(batchSize);
    }
    if (learningRate != null) {
      builder.learningRate(learningRate);
    }
    if (lam != null) {
      builder.l2(lam);
    }
    if (annealCap != null) {
      builder.annealCap(annealCap);
    }
    builder.totalAnnealSteps(annealSteps(stats));
    if (seed != null) {
      builder.seed(seed);
    }
    if (threads != null) {
      builder.threads(threads);
    }
    return builder.build();
  }

  private OptionalLong annealSteps(PreparationStats stats) {
    if (totalAnnealSteps == null) {
      if (stats.trainUsers() == ML20M_TRAIN_USERS && stats.items() == ML20M_ITEMS) {
        LOG.info("ML-20M as prepared by the paper: total anneal steps default to the paper's {}",
            TrainConfig.PAPER_TOTAL_ANNEAL_STEPS);
        return OptionalLong.of(TrainConfig.PAPER_TOTAL_ANNEAL_STEPS);
      }
      return OptionalLong.empty();
    }
    if (totalAnnealSteps.equalsIgnoreCase("auto")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(totalAnnealSteps.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--total-anneal-steps must be a positive integer or 'auto', got '" + totalAnnealSteps + "'");
    }
  }

  static List<Integer> parseWidths(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    List<Integer> widths = new ArrayList<>();
    if (trimmed.equals("none") || trimmed.isEmpty()) {
      return widths;
    }
    for (String part : trimmed.split(",")) {
      try {
        widths.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--hidden must be comma-separated positive integers or 'none', got '" + text + "'");
      }
    }
    return widths;
  }
}
