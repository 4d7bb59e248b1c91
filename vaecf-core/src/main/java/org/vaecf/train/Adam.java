package org.vaecf.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vaecf.linalg.AdamCoefficients;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.ColumnBlockUpdate;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.RowUpdate;
import org.vaecf.nn.SparseRows;

/**
 * Adam (Kingma &amp; Ba, 2015) in the form TensorFlow 1 implements it, which the reference notebook uses:
 * {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code θ ← θ − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)}. The L2 penalty {@code λ·Σ W²} of the loss enters as
 * {@code g + 2λW} for weight matrices (not biases).
 *
 * <p>Every parameter is updated at every step, as the reference does — also the rows of the first layer that a batch
 * did not touch, whose gradient is zero and whose moments decay. Those rows are updated <em>late but exactly</em>: a
 * {@link SparseRows} parameter records, per row, the last step applied; the zero-gradient steps it missed are applied
 * in order just before a forward pass reads the row again, or by {@link #flush()}. The arithmetic is the same sequence
 * of IEEE operations as updating every row every step, so the parameters are bit-identical, while a step touches in
 * memory only the rows its batch uses (about half of the first layer at ML-20M's shape).
 *
 * <p>Dense tensors are updated in one fused pass, split over the threads; the moments live on the heap, θ and the
 * gradient of a dense tensor in direct memory, where the kernel reads and writes them in place.
 */
public final class Adam {
  private static final int CHUNK = 4096;
  /** Rows per task of the catch-up: small enough to even out the threads, large enough that taking one costs nothing. */
  private static final int CATCH_UP_TASK = 32;

  private final List<Parameter> parameters;
  private final List<float[]> firstMoments = new ArrayList<>();
  private final List<float[]> secondMoments = new ArrayList<>();
  private final List<int[]> rowSteps = new ArrayList<>();
  private final AdamSettings settings;
  private final AdamCoefficients weightCoefficients;
  private final AdamCoefficients biasCoefficients;
  private final Parallel parallel;
  private final Kernels kernels = Kernels.best();
  private float[] stepSizes = new float[1024];
  private int step;

  /**
   * @param parameters the tensors to update
   * @param settings learning rate, β₁, β₂, ε
   * @param l2 λ of the loss term {@code λ·Σ W²} over weight matrices
   * @param parallel threads for the update loops
   */
  public Adam(List<Parameter> parameters, AdamSettings settings, float l2, Parallel parallel) {
    this.parameters = List.copyOf(parameters);
    this.settings = settings;
    this.weightCoefficients = new AdamCoefficients(settings.beta1(), settings.beta2(), settings.epsilon(), 2f * l2);
    this.biasCoefficients = new AdamCoefficients(settings.beta1(), settings.beta2(), settings.epsilon(), 0f);
    this.parallel = parallel;
    for (Parameter parameter : this.parameters) {
      firstMoments.add(new float[parameter.value().size()]);
      secondMoments.add(new float[parameter.value().size()]);
      if (parameter.sparseRows().isPresent()) {
        int p = firstMoments.size() - 1;
        rowSteps.add(new int[parameter.value().rows()]);
        RowSparse rows = rowSparse(p);
        parameter.sparseRows().get().setReadListener(new SparseRows.ReadListener() {
          @Override
          public void beforeRead(int[] read, int count) {
            catchUp(p, read, count);
          }

          @Override
          public void beforeReadRow(int row) {
            catchUpRow(rows, row);
          }

          @Override
          public int stepsBehind(int row) {
            return step - rows.steps()[row];
          }
        });
      } else {
        rowSteps.add(null);
      }
    }
  }

  /** Applies one update to every parameter from its current gradient. */
  public void step() {
    beginStep();
    finishStep(List.of());
  }

  /**
   * Starts an update that some parameters receive during the backward pass, through {@link #columnBlockUpdate}, and
   * the others from their stored gradients in {@link #finishStep}. Call it after the forward pass: a forward pass
   * brings the rows it reads up to the last completed step.
   */
  public void beginStep() {
    advanceStepSize();
  }

  /**
   * Updates every parameter not in {@code updatedAlready} from its stored gradient, completing the step begun by
   * {@link #beginStep}.
   */
  public void finishStep(java.util.Collection<Parameter> updatedAlready) {
    int[] direct = new int[parameters.size()];
    int directCount = 0;
    for (int p = 0; p < parameters.size(); p++) {
      Parameter parameter = parameters.get(p);
      if (updatedAlready.contains(parameter)) {
        continue;
      }
      if (parameter.sparseRows().isPresent()) {
        SparseRows rows = parameter.sparseRows().get();
        updateRows(p, rows.touchedRows(), rows.touchedCount());
      } else if (parameter.value().onHeap()) {
        updateHeap(p);
      } else {
        direct[directCount++] = p;
      }
    }
    updateDirect(direct, directCount);
  }

  /** Counts one more step and records its bias-corrected step size. */
  private void advanceStepSize() {
    step++;
    if (step == stepSizes.length) {
      stepSizes = Arrays.copyOf(stepSizes, stepSizes.length * 2);
    }
    double correction = Math.sqrt(1.0 - Math.pow(settings.beta2(), step)) / (1.0 - Math.pow(settings.beta1(), step));
    stepSizes[step] = (float) (settings.learningRate() * correction);
  }

  /** Brings every row of the row-sparse parameters up to the current step (before reading or saving weights). */
  public void flush() {
    for (int p = 0; p < parameters.size(); p++) {
      int[] steps = rowSteps.get(p);
      if (steps == null) {
        continue;
      }
      int[] behind = new int[steps.length];
      int count = 0;
      for (int row = 0; row < steps.length; row++) {
        if (steps[row] < step) {
          behind[count++] = row;
        }
      }
      catchUp(p, behind, count);
    }
  }

  /** Number of updates applied so far. */
  public long steps() {
    return step;
  }

  /**
   * The optimiser's state: step count, both moments of every parameter and, for row-sparse parameters, the last step
   * applied to each row. Copies, safe to keep.
   */
  public State state() {
    List<float[]> m = new ArrayList<>();
    List<float[]> v = new ArrayList<>();
    List<int[]> rows = new ArrayList<>();
    for (int p = 0; p < parameters.size(); p++) {
      m.add(firstMoments.get(p).clone());
      v.add(secondMoments.get(p).clone());
      rows.add(rowSteps.get(p) == null ? new int[0] : rowSteps.get(p).clone());
    }
    return new State(step, m, v, rows);
  }

  /**
   * Restores a state taken from an optimiser over parameters of the same shapes.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public void restore(State state) {
    if (state.firstMoments().size() != parameters.size()) {
      throw new IllegalArgumentException(
          "the optimiser state has " + state.firstMoments().size() + " tensors, expected " + parameters.size());
    }
    for (int p = 0; p < parameters.size(); p++) {
      int size = parameters.get(p).value().size();
      if (state.firstMoments().get(p).length != size || state.secondMoments().get(p).length != size) {
        throw new IllegalArgumentException("optimiser moments of " + parameters.get(p).name() + " have the wrong size");
      }
      System.arraycopy(state.firstMoments().get(p), 0, firstMoments.get(p), 0, size);
      System.arraycopy(state.secondMoments().get(p), 0, secondMoments.get(p), 0, size);
      int[] rows = rowSteps.get(p);
      if (rows != null) {
        if (state.rowSteps().get(p).length != rows.length) {
          throw new IllegalArgumentException("row steps of " + parameters.get(p).name() + " have the wrong size");
        }
        System.arraycopy(state.rowSteps().get(p), 0, rows, 0, rows.length);
      }
    }
    step = 0;
    while (step < state.step()) {
      advanceStepSize();
    }
  }

  /**
   * A snapshot of Adam's state.
   *
   * @param step updates applied
   * @param firstMoments m of each parameter, in parameter order
   * @param secondMoments v of each parameter
   * @param rowSteps for row-sparse parameters the last step applied to each row (empty arrays for dense ones)
   */
  public record State(long step, List<float[]> firstMoments, List<float[]> secondMoments, List<int[]> rowSteps) {
    public State {
      firstMoments = List.copyOf(firstMoments);
      secondMoments = List.copyOf(secondMoments);
      rowSteps = List.copyOf(rowSteps);
    }
  }

  private AdamCoefficients coefficients(Parameter parameter) {
    return parameter.weight() ? weightCoefficients : biasCoefficients;
  }

  /**
   * Updates the dense direct parameters {@code ps[0..count)} in one parallel loop, each thread its share of every one:
   * they are the small layers' tensors, a few hundred thousand entries in all, where a loop per tensor cost a
   * hand-over each.
   */
  private void updateDirect(int[] ps, int count) {
    if (count == 0) {
      return;
    }
    float stepSize = stepSizes[step];
    int threads = parallel.threads();
    parallel.forChunks(
        threads,
        1,
        (chunk, first, last) -> {
          for (int k = 0; k < count; k++) {
            Parameter parameter = parameters.get(ps[k]);
            int size = parameter.value().size();
            int from = (int) ((long) size * chunk / threads);
            int to = (int) ((long) size * (chunk + 1) / threads);
            kernels.adam(parameter.value().bytes(), from, parameter.gradient().bytes(), from, firstMoments.get(ps[k]),
                secondMoments.get(ps[k]), from, to - from, coefficients(parameter), stepSize);
          }
        });
  }

  /**
   * This optimiser's update of {@code parameter} (a dense matrix in direct memory) as a {@link ColumnBlockUpdate}: a
   * layer hands it the gradient block by block during the backward pass of a step begun with {@link #beginStep}. The
   * arithmetic per entry is that of {@link #step()}.
   *
   * @throws IllegalArgumentException if the parameter is not one of this optimiser's dense direct parameters
   */
  public ColumnBlockUpdate columnBlockUpdate(Parameter parameter) {
    int p = parameters.indexOf(parameter);
    if (p < 0 || parameter.sparseRows().isPresent() || parameter.value().onHeap()) {
      throw new IllegalArgumentException(parameter.name() + " is not a dense direct parameter of this optimiser");
    }
    ByteBuffer theta = parameter.value().bytes();
    int cols = parameter.value().cols();
    int rows = parameter.value().rows();
    float[] m = firstMoments.get(p);
    float[] v = secondMoments.get(p);
    AdamCoefficients c = coefficients(parameter);
    return (chunk, from, to, gradient, offset, stride) -> {
      int n = to - from;
      float stepSize = stepSizes[step];
      ByteBuffer g = gradient.bytes();
      for (int r = 0; r < rows; r++) {
        int base = r * cols + from;
        kernels.adam(theta, base, g, offset + r * stride, m, v, base, n, c, stepSize);
      }
    };
  }

  /**
   * This optimiser's update of a row-sparse {@code parameter} as a {@link RowUpdate}: a layer hands it each row's
   * gradient during the backward pass of a step begun with {@link #beginStep}; rows it is not given are zero-gradient
   * rows, brought up to date late as always. The arithmetic is that of {@link #step()}.
   *
   * @throws IllegalArgumentException if the parameter is not one of this optimiser's row-sparse parameters
   */
  public RowUpdate rowUpdate(Parameter parameter) {
    int p = parameters.indexOf(parameter);
    if (p < 0 || parameter.sparseRows().isEmpty()) {
      throw new IllegalArgumentException(parameter.name() + " is not a row-sparse parameter of this optimiser");
    }
    RowSparse t = rowSparse(p);
    return (chunk, row, gradient, offset, nextRow) -> {
      int current = step;
      int base = row * t.width();
      if (t.steps()[row] < current - 1) {
        kernels.adamRepeat(t.theta(), base, t.m(), t.v(), base, t.width(), t.c(), stepSizes, t.steps()[row] + 1,
            current);
      }
      int ahead = nextRow < 0 ? base : nextRow * t.width();
      kernels.adamReadingAhead(
          t.theta(), base, gradient, offset, t.m(), t.v(), base, t.width(), t.c(), stepSizes[current], ahead);
      t.steps()[row] = current;
    };
  }

  private void updateHeap(int p) {
    Parameter parameter = parameters.get(p);
    float[] theta = parameter.value().array();
    float[] grad = parameter.gradient().array();
    float[] m = firstMoments.get(p);
    float[] v = secondMoments.get(p);
    AdamCoefficients c = coefficients(parameter);
    float stepSize = stepSizes[step];
    parallel.forRange(
        parameter.value().size(),
        CHUNK,
        (from, to) -> kernels.adam(theta, from, grad, from, m, v, from, to - from, c, stepSize));
  }

  /** The real update of the rows a batch touched (already caught up to the previous step by the forward pass). */
  private void updateRows(int p, int[] rows, int count) {
    RowSparse t = rowSparse(p);
    float[] grad = heapArray(parameters.get(p).gradient());
    float[] sizes = stepSizes;
    int current = step;
    parallel.forRange(
        count,
        16,
        (from, to) -> {
          for (int k = from; k < to; k++) {
            int row = rows[k];
            int base = row * t.width();
            if (t.steps()[row] < current - 1) {
              kernels.adamRepeat(t.theta(), base, t.m(), t.v(), base, t.width(), t.c(), sizes, t.steps()[row] + 1,
                  current);
            }
            kernels.adam(t.theta(), base, grad, base, t.m(), t.v(), base, t.width(), t.c(), sizes[current]);
            t.steps()[row] = current;
          }
        });
  }

  /**
   * Applies the zero-gradient steps that {@code rows[0..count)} missed, up to the current step. A row's cost grows with
   * the steps it missed, and rows of rare items missed many: the rows are handed out in small tasks to whichever
   * thread is free (halves of the list split by position left one thread with 1.8× the other's work).
   */
  private void catchUp(int p, int[] rows, int count) {
    RowSparse t = rowSparse(p);
    parallel.forEachTask(
        (count + CATCH_UP_TASK - 1) / CATCH_UP_TASK,
        (worker, task) -> {
          int from = task * CATCH_UP_TASK;
          int to = Math.min(count, from + CATCH_UP_TASK);
          for (int k = from; k < to; k++) {
            catchUpRow(t, rows[k]);
          }
        });
  }

  /**
   * Applies the zero-gradient steps that {@code row} of the row-sparse parameter {@code t} missed, up to the current
   * step, on the calling thread.
   */
  private void catchUpRow(RowSparse t, int row) {
    int current = step;
    if (t.steps()[row] < current) {
      int base = row * t.width();
      kernels.adamRepeat(t.theta(), base, t.m(), t.v(), base, t.width(), t.c(), stepSizes, t.steps()[row] + 1,
          current + 1);
      t.steps()[row] = current;
    }
  }

  /** The arrays of a row-sparse parameter and its optimiser state. */
  private record RowSparse(float[] theta, float[] m, float[] v, int[] steps, int width, AdamCoefficients c) {}

  private RowSparse rowSparse(int p) {
    Parameter parameter = parameters.get(p);
    return new RowSparse(
        heapArray(parameter.value()), firstMoments.get(p), secondMoments.get(p), rowSteps.get(p),
        parameter.value().cols(), coefficients(parameter));
  }

  private static float[] heapArray(org.vaecf.linalg.Matrix matrix) {
    if (!matrix.onHeap()) {
      throw new IllegalArgumentException("a row-sparse parameter must live on the heap");
    }
    return matrix.array();
  }
}
