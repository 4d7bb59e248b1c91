package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vaecf.bench.TrainBenchmark;
import org.vaecf.bench.TrainBenchmarkSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf bench train}: training step time against the GEMM bound. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Time Mult-VAE training steps and compare them with the machine's GEMM rate.",
    description = {
      "Trains the paper's Mult-VAE on synthetic data of the given shape (default: ML-20M's, 116,677 users x 20,108",
      "items, 73 interactions per user, power-law popularity) or on prepared data (--data), and reports ms per step",
      "and per part, seconds per epoch, achieved GFLOP/s, the raw GEMM rate at 500 x 600 x items measured in the same",
      "run, ratio = step time / (FLOPs / GEMM rate), validation scoring time, RSS and GC."
    })
final class BenchTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--users", description = "Users whose epoch time is reported (default: ${DEFAULT-VALUE}).",
      defaultValue = "116677")
  int users;

  @Option(names = "--items", description = "Items (default: ${DEFAULT-VALUE}).", defaultValue = "20108")
  int items;

  @Option(names = "--interactions-per-user", description = "Mean interactions per user (default: ${DEFAULT-VALUE}).",
      defaultValue = "73")
  double interactionsPerUser;

  @Option(names = "--data", paramLabel = "DIR", description = "Use this prepared data instead of synthetic data.")
  Path data;

  @Option(names = "--steps", description = "Measured steps (default: ${DEFAULT-VALUE}).", defaultValue = "30")
  int steps;

  // 60 steps, about 10 s: -XX:+PrintCompilation showed C2 still compiling the step's hot loops (the output layer's
  // Adam, the noise) 6 s into training, so 20 warm-up steps measured some steps while the compiler took a core.
  @Option(names = "--warmup", description = "Warm-up steps: JIT compilation of the SIMD kernels (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  int warmup;

  @Option(names = "--threads", description = "Threads for BLAS and the loops (default: the number of cores).")
  Integer threads;

  @Option(names = "--eval-users", description = "Validation users scored for timing (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  int evalUsers;

  @Option(names = "--seed", description = "Seed of the data and the model (default: ${DEFAULT-VALUE}).",
      defaultValue = "98765")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    OptionErrors.fromOptions(spec, this::check);
    TrainBenchmarkSettings settings =
        OptionErrors.fromOptions(
            spec,
            () ->
                new TrainBenchmarkSettings(
                    users, items, interactionsPerUser, Optional.ofNullable(data), steps, warmup,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads, evalUsers, seed));
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> result = new TrainBenchmark(settings).run(line -> {
      err.println("bench: " + line);
      err.flush();
    });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } else {
      out.printf("shape                %s, %s threads%n", result.get("shape"), result.get("threads"));
      out.printf("ms per step          %s (min %s, max %s)%n", result.get("msPerStep"), result.get("msPerStepMin"),
          result.get("msPerStepMax"));
      out.printf("ms per part          %s%n", result.get("msPerPart"));
      out.printf("output weight update %s ms per thread (within outputBackward)%n",
          result.get("msOutputWeightUpdate"));
      out.printf("seconds per epoch    %s%n", result.get("secondsPerEpoch"));
      out.printf("FLOPs per step       %.4g (achieved %s GFLOP/s)%n", (Double) result.get("flopsPerStep"),
          result.get("gflops"));
      out.printf("GEMM rate            %s GFLOP/s (500 x 600 x items, median; split over the threads %s, OpenBLAS's "
          + "threads %s)%n", result.get("gemmGflops"), result.get("gemmGflopsSplit"),
          result.get("gemmGflopsOpenblasThreads"));
      out.printf("ratio                %s (step time / GEMM lower bound %s ms)%n", result.get("ratio"),
          result.get("lowerBoundMsPerStep"));
      out.printf("validation scoring   %s s per 10,000 users%n", result.get("evalSecondsPer10kUsers"));
      out.printf("memory               RSS peak %s MB, heap peak %s MB, GC %s ms during the steps, %s KB allocated"
          + " per step%n", result.get("rssPeakMb"), result.get("heapPeakMb"), result.get("gcMsDuringSteps"),
          result.get("allocatedKbPerStep"));
      out.printf("JIT compilation      %s ms during the steps%n", result.get("jitMsDuringSteps"));
    }
    return 0;
  }

  /** The options a user sets, checked with their own names (the settings' checks name the fields). */
  private Void check() {
    if (users <= 0) {
      throw new IllegalArgumentException("--users must be > 0, got " + users);
    }
    if (data == null && items < TrainBenchmark.SYNTHETIC_TASTES) {
      throw new IllegalArgumentException("--items must be >= " + TrainBenchmark.SYNTHETIC_TASTES
          + " (the synthetic data plants that many tastes, one item each), got " + items);
    }
    if (!(interactionsPerUser >= 5) || interactionsPerUser > items / 2.0) {
      throw new IllegalArgumentException(
          "--interactions-per-user must be in [5, --items/2 = " + items / 2.0 + "], got " + interactionsPerUser);
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("--steps must be > 0, got " + steps);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    }
    if (threads != null && threads <= 0) {
      throw new IllegalArgumentException("--threads must be > 0, got " + threads);
    }
    if (evalUsers <= 0) {
      throw new IllegalArgumentException("--eval-users must be > 0, got " + evalUsers);
    }
    return null;
  }
}
