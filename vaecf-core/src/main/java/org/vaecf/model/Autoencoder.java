package org.vaecf.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.ColumnBlockUpdate;
import org.vaecf.nn.GaussianKl;
import org.vaecf.nn.Initializers;
import org.vaecf.nn.Layer;
import org.vaecf.nn.Linear;
import org.vaecf.nn.Noise;
import org.vaecf.nn.OutputLayer;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.RandomStream;
import org.vaecf.nn.Reparameterize;
import org.vaecf.nn.RowUpdate;
import org.vaecf.nn.SparseBatch;
import org.vaecf.nn.SparseDropout;
import org.vaecf.nn.SparseLinear;
import org.vaecf.nn.Tanh;

/**
 * The Mult-VAE / Mult-DAE network (Liang et al., WWW 2018, §2): L2-normalised sparse input → dropout → encoder →
 * (Mult-VAE: µ, log σ² → {@link Reparameterize}) → decoder → logits over all items.
 *
 * <p>One network serves training and prediction; {@code forward(input, training)} passes the flag to the layers that
 * behave differently (dropout and the reparameterization). A network owns its buffers and is not thread-safe.
 */
public final class Autoencoder implements AutoCloseable {
  private final ModelConfig config;
  private final int items;
  private final int maxBatch;
  private final Noise noise;
  private final Parallel parallel;
  private final SparseDropout dropout;
  private final SparseLinear inputLayer;
  private final List<Layer> encoder = new ArrayList<>();
  private final Reparameterize reparameterize;
  private final GaussianKl kl;
  /** The decoder's layers, the output layer last. */
  private final List<Layer> decoder = new ArrayList<>();
  private final OutputLayer outputLayer;
  private final List<Parameter> parameters = new ArrayList<>();
  private Matrix lastEncoding;
  private boolean lastWasTraining;

  private Autoencoder(ModelConfig config, int items, int maxBatch, long seed, Parallel parallel) {
    if (items <= 0) {
      throw new IllegalArgumentException("items must be > 0, got " + items);
    }
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch must be > 0, got " + maxBatch);
    }
    this.config = config;
    this.items = items;
    this.maxBatch = maxBatch;
    this.noise = new Noise(seed);
    this.parallel = parallel;
    this.dropout = new SparseDropout(config.dropout(), maxBatch, noise);
    int latent = config.latentDim();
    boolean variational = config.variational();

    List<Integer> encoderWidths = encoderWidths(config);
    inputLayer = new SparseLinear("encoder.0", items, encoderWidths.get(0), maxBatch, parallel);
    parameters.addAll(inputLayer.parameters());
    for (int i = 1; i < encoderWidths.size(); i++) {
      encoder.add(Tanh.inPlace(parallel));
      Linear linear =
          new Linear("encoder." + i, encoderWidths.get(i - 1), encoderWidths.get(i), maxBatch, parallel);
      encoder.add(linear);
      parameters.addAll(linear.parameters());
    }
    if (!variational) {
      encoder.add(Tanh.inPlace(parallel)); // the DAE's code layer is squashed like every inner layer
    }
    this.reparameterize = variational ? new Reparameterize(latent, maxBatch, noise, parallel) : null;
    this.kl = variational ? new GaussianKl(latent, parallel) : null;

    List<Integer> decoderWidths = decoderWidths(config, items);
    int last = decoderWidths.size() - 1;
    for (int i = 1; i < last; i++) {
      Linear linear = new Linear("decoder." + (i - 1), decoderWidths.get(i - 1), decoderWidths.get(i), maxBatch,
          parallel);
      decoder.add(linear);
      parameters.addAll(linear.parameters());
      decoder.add(Tanh.inPlace(parallel));
    }
    this.outputLayer =
        new OutputLayer("decoder." + (last - 1), decoderWidths.get(last - 1), items, maxBatch, parallel);
    decoder.add(outputLayer);
    parameters.addAll(outputLayer.parameters());
  }

  /** Output widths of the encoder's layers: the hidden widths, then 2·latent (Mult-VAE) or latent (Mult-DAE). */
  private static List<Integer> encoderWidths(ModelConfig config) {
    List<Integer> widths = new ArrayList<>(config.hiddenDims());
    widths.add(config.variational() ? 2 * config.latentDim() : config.latentDim());
    return widths;
  }

  /** Widths along the decoder: latent, the hidden widths in reverse, the items. */
  private static List<Integer> decoderWidths(ModelConfig config, int items) {
    List<Integer> widths = new ArrayList<>();
    widths.add(config.latentDim());
    List<Integer> reversed = new ArrayList<>(config.hiddenDims());
    Collections.reverse(reversed);
    widths.addAll(reversed);
    widths.add(items);
    return widths;
  }

  /**
   * The names and shapes of the parameters of {@code config} over {@code items} items, in network order — what
   * {@link #snapshot()} produces and {@link #fromWeights} expects.
   */
  public static List<TensorShape> parameterShapes(ModelConfig config, int items) {
    List<TensorShape> shapes = new ArrayList<>();
    List<Integer> encoder = encoderWidths(config);
    int in = items;
    for (int i = 0; i < encoder.size(); i++) {
      shapes.add(new TensorShape("encoder." + i + ".weight", in, encoder.get(i)));
      shapes.add(new TensorShape("encoder." + i + ".bias", 1, encoder.get(i)));
      in = encoder.get(i);
    }
    List<Integer> decoder = decoderWidths(config, items);
    for (int i = 1; i < decoder.size(); i++) {
      shapes.add(new TensorShape("decoder." + (i - 1) + ".weight", decoder.get(i - 1), decoder.get(i)));
      shapes.add(new TensorShape("decoder." + (i - 1) + ".bias", 1, decoder.get(i)));
    }
    return shapes;
  }

  /**
   * Checks that {@code weights} holds exactly the tensors of {@code config} over {@code items} items.
   *
   * @throws IllegalArgumentException naming the first missing, extra or misshapen tensor
   */
  public static void checkWeights(ModelConfig config, int items, ModelWeights weights) {
    List<TensorShape> expected = parameterShapes(config, items);
    if (weights.tensors().size() != expected.size()) {
      throw new IllegalArgumentException(
          "the weights hold " + weights.tensors().size() + " tensors, a " + config.type() + " with hidden "
              + config.hiddenDims() + " needs " + expected.size());
    }
    for (TensorShape shape : expected) {
      NamedTensor tensor = weights.get(shape.name());
      if (tensor.rows() != shape.rows() || tensor.cols() != shape.cols()) {
        throw new IllegalArgumentException(
            "tensor " + shape.name() + " is " + tensor.rows() + "x" + tensor.cols() + ", the network needs "
                + shape.rows() + "x" + shape.cols());
      }
    }
  }

  /**
   * A network with the paper's random initialisation (Xavier-uniform weights, truncated-normal biases), drawn from
   * {@code seed}. The same seed also keys the training noise.
   */
  public static Autoencoder initialize(
      ModelConfig config, int items, int maxBatch, long seed, Parallel parallel) {
    Autoencoder network = new Autoencoder(config, items, maxBatch, seed, parallel);
    RandomStream random = new RandomStream(0);
    for (int p = 0; p < network.parameters.size(); p++) {
      Parameter parameter = network.parameters.get(p);
      random.reset(RandomStream.key(seed, 0x1417, p));
      if (parameter.weight()) {
        Initializers.xavierUniform(parameter.value(), random);
      } else {
        Initializers.truncatedNormal(parameter.value(), Initializers.BIAS_STDDEV, random);
      }
    }
    return network;
  }

  /**
   * A network holding {@code weights} (for prediction, or to continue training).
   *
   * @throws IllegalArgumentException if a tensor is missing or has the wrong shape
   */
  public static Autoencoder fromWeights(
      ModelConfig config, int items, ModelWeights weights, int maxBatch, Parallel parallel) {
    checkWeights(config, items, weights);
    Autoencoder network = new Autoencoder(config, items, maxBatch, 0L, parallel);
    for (Parameter parameter : network.parameters) {
      parameter.value().buffer().put(0, weights.get(parameter.name()).values(), 0, parameter.value().size());
    }
    return network;
  }

  /**
   * Runs the network on a batch of L2-normalised rows and returns the logits (rows × items, owned by the network,
   * overwritten by the next call). With {@code training} dropout is applied and Mult-VAE samples z; without it the
   * output is a deterministic function of the input and the weights.
   */
  public Matrix forward(SparseBatch input, boolean training) {
    Matrix h = forwardToOutput(input, training);
    return decoder.get(decoder.size() - 1).forward(h, training);
  }

  /**
   * Runs the network in prediction mode up to the input of the output layer and returns that activation (rows × the
   * last hidden width, owned by the network): what {@link ModelScorer#snapshot} multiplies by its own copy of the
   * output weight.
   */
  public Matrix forwardHidden(SparseBatch input) {
    return forwardToOutput(input, false);
  }

  /**
   * Runs the network on a batch of L2-normalised rows up to the input of the output layer and returns that activation
   * (rows × the last hidden width, owned by the network). With {@code training} dropout is applied and Mult-VAE
   * samples z. The training step continues with {@link OutputLayer#forwardLoss} and {@link #backwardLoss}.
   */
  public Matrix forwardToOutput(SparseBatch input, boolean training) {
    return forwardInner(forwardInput(input, training), training);
  }

  /**
   * The first stage of {@link #forwardToOutput}: dropout (with {@code training}) and the sparse first layer, without
   * its tanh. Returns that layer's output (rows × the first hidden width, owned by the network), which
   * {@link #forwardInner} takes on. The stages are apart so that a benchmark can time them.
   */
  public Matrix forwardInput(SparseBatch input, boolean training) {
    if (input.rows() > maxBatch) {
      throw new IllegalArgumentException("batch of " + input.rows() + " rows exceeds the capacity " + maxBatch);
    }
    return inputLayer.forward(dropout.forward(input, training), training);
  }

  /**
   * The second stage of {@link #forwardToOutput}: from the first layer's output ({@link #forwardInput} of the same
   * batch, with the same {@code training}) through the encoder, the reparameterization and the decoder up to the input
   * of the output layer, which it returns.
   */
  public Matrix forwardInner(Matrix firstLayerOutput, boolean training) {
    Matrix h = firstLayerOutput;
    for (Layer layer : encoder) {
      h = layer.forward(h, training);
    }
    lastEncoding = h;
    lastWasTraining = training;
    if (reparameterize != null) {
      h = reparameterize.forward(h, training);
    }
    for (int i = 0; i < decoder.size() - 1; i++) {
      h = decoder.get(i).forward(h, training);
    }
    return h;
  }

  /** The KL term of the last forward pass (mean over its rows); 0 for Mult-DAE. */
  public double klDivergence() {
    if (kl == null || lastEncoding == null) {
      return 0.0;
    }
    // a training pass computed it row by row with z; a prediction pass drew nothing and kept nothing
    return lastWasTraining ? reparameterize.klDivergence() : kl.value(lastEncoding);
  }

  /**
   * Back-propagates {@code gradLogits} (the gradient of the likelihood term) plus {@code klWeight} times the KL
   * term's gradient, storing every parameter's gradient.
   *
   * @throws IllegalStateException if the last forward pass was not a training pass
   */
  public void backward(Matrix gradLogits, float klWeight) {
    requireTrainingPass();
    backwardInput(backwardThroughInner(decoder.size() - 1, gradLogits, klWeight), null);
  }

  /**
   * Back-propagates the loss of the last {@link OutputLayer#forwardLoss} (which followed {@link #forwardToOutput} with
   * {@code training = true}) plus {@code klWeight} times the KL term, storing every parameter's gradient — except the
   * output weight's when {@code outputWeightUpdate} is given, and the first layer's when {@code inputWeightUpdate} is:
   * those gradients are handed over block by block, or row by row, as they are computed (an optimiser updating the
   * weight in place), and not stored. Same gradients as {@link #forward} +
   * {@link org.vaecf.nn.MultinomialLikelihood} + {@link #backward}, up to float rounding, with fewer passes over the
   * item-wide matrices.
   *
   * @throws IllegalStateException without a preceding {@link OutputLayer#forwardLoss}, or if the last forward pass
   *     was not a training pass
   */
  public void backwardLoss(float klWeight, ColumnBlockUpdate outputWeightUpdate, RowUpdate inputWeightUpdate) {
    requireTrainingPass();
    Matrix g = outputLayer.backwardLoss(outputWeightUpdate);
    backwardInput(backwardInner(g, klWeight), inputWeightUpdate);
  }

  /**
   * The middle stage of {@link #backwardLoss}: back-propagates {@code gradHidden}, the gradient of the output layer's
   * input ({@link OutputLayer#backwardLoss}), through the decoder, the reparameterization (with {@code klWeight} times
   * the KL term's gradient) and the encoder, storing their parameters' gradients. Returns the gradient of the first
   * layer's output, which {@link #backwardInput} takes on.
   *
   * @throws IllegalStateException if the last forward pass was not a training pass
   */
  public Matrix backwardInner(Matrix gradHidden, float klWeight) {
    requireTrainingPass();
    return backwardThroughInner(decoder.size() - 2, gradHidden, klWeight);
  }

  /**
   * The last stage of {@link #backwardLoss}: the first layer's weight gradient from {@code gradFirstLayerOutput}
   * ({@link #backwardInner}), handed to {@code inputWeightUpdate} row by row when given, else stored; and its bias
   * gradient.
   */
  public void backwardInput(Matrix gradFirstLayerOutput, RowUpdate inputWeightUpdate) {
    inputLayer.backward(gradFirstLayerOutput, inputWeightUpdate);
  }

  private void requireTrainingPass() {
    if (!lastWasTraining) {
      throw new IllegalStateException("backward needs a preceding forward pass with training = true");
    }
  }

  /**
   * Back-propagates {@code gradient}, the gradient of the output of decoder layer {@code from}, down to the first
   * layer's output, whose gradient it returns.
   */
  private Matrix backwardThroughInner(int from, Matrix gradient, float klWeight) {
    Matrix g = gradient;
    for (int i = from; i >= 0; i--) {
      g = decoder.get(i).backward(g);
    }
    if (reparameterize != null) {
      g = reparameterize.backward(g, klWeight); // with the KL term's gradient, in one pass over the rows
    }
    for (int i = encoder.size() - 1; i >= 0; i--) {
      g = encoder.get(i).backward(g);
    }
    return g;
  }

  /**
   * Overwrites every parameter with {@code weights} (for resuming training from a checkpoint).
   *
   * @throws IllegalArgumentException if a tensor is missing or has the wrong shape
   */
  public void loadWeights(ModelWeights weights) {
    checkWeights(config, items, weights);
    for (Parameter parameter : parameters) {
      parameter.value().buffer().put(0, weights.get(parameter.name()).values(), 0, parameter.value().size());
    }
  }

  /** Sets the training step that keys the dropout masks and ε of the next forward pass. */
  public void setStep(long step) {
    noise.setStep(step);
  }

  /** All trainable parameters in network order (encoder first). */
  public List<Parameter> parameters() {
    return Collections.unmodifiableList(parameters);
  }

  /** An immutable copy of the current parameter values. */
  public ModelWeights snapshot() {
    List<NamedTensor> tensors = new ArrayList<>(parameters.size());
    for (Parameter parameter : parameters) {
      Matrix value = parameter.value();
      tensors.add(NamedTensor.copyOf(parameter.name(), value.rows(), value.cols(), value.toArray()));
    }
    return new ModelWeights(tensors);
  }

  /** The first layer, which reads the sparse input (its weight is items × hidden). */
  public SparseLinear inputLayer() {
    return inputLayer;
  }

  /** The output layer (its weight is hidden × items). */
  public OutputLayer outputLayer() {
    return outputLayer;
  }

  /** The threads the network's loops and products are split over. */
  public Parallel parallel() {
    return parallel;
  }

  /** The architecture. */
  public ModelConfig config() {
    return config;
  }

  /** Number of items (input and output width). */
  public int items() {
    return items;
  }

  /** Most rows a batch may have. */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * Gives back the output layer's memory (its item-sized weight, bias and activations) for a network that only runs
   * {@link #forwardHidden}: a {@link ModelScorer#snapshot} multiplies by its own transposed copy instead. The
   * network's {@link #forward} fails afterwards.
   */
  void closeOutputLayer() {
    decoder.get(decoder.size() - 1).close();
  }

  /**
   * Gives back the network's direct memory (weights, gradients, activations) at once instead of at garbage
   * collection: a retired model's networks hold several item-sized buffers. The network must not be used afterwards.
   */
  @Override
  public void close() {
    inputLayer.close();
    encoder.forEach(Layer::close);
    if (reparameterize != null) {
      reparameterize.close();
    }
    decoder.forEach(Layer::close);
  }
}
