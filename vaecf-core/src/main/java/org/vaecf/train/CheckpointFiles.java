package org.vaecf.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.NamedTensor;

/**
 * A {@link Checkpoint} on disk: a directory with {@code checkpoint.json} (format version, fingerprint, progress, best
 * epoch, history, the SHA-256 of the arrays) and {@code arrays.bin} (the user order, the weights, the best weights and
 * Adam's moments and row steps, each as a name, a kind, a length and big-endian values). The directory is replaced
 * atomically, so the previous checkpoint stays until the new one is complete.
 */
public final class CheckpointFiles {
  /** The format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  static final String META_FILE = "checkpoint.json";
  static final String ARRAYS_FILE = "arrays.bin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte FLOATS = 1;
  private static final byte INTS = 2;

  private CheckpointFiles() {}

  /**
   * Writes {@code checkpoint} into {@code directory}, replacing the previous one only when complete.
   *
   * @throws IOException naming what could not be written
   */
  public static void save(Checkpoint checkpoint, Path directory) throws IOException {
    AtomicDirectory.write(directory, META_FILE, target -> write(checkpoint, target));
  }

  private static void write(Checkpoint checkpoint, Path target) throws IOException {
    Path arrays = target.resolve(ARRAYS_FILE);
    MessageDigest digest = sha256();
    Adam.State adam = checkpoint.optimizer();
    try (FileChannel channel = FileChannel.open(arrays, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        DataOutputStream out =
            new DataOutputStream(
                new BufferedOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), digest), 1 << 16))) {
      writeInts(out, "order", checkpoint.progress().order());
      writeWeights(out, "weights.", checkpoint.weights());
      writeWeights(out, "best.", checkpoint.best().weights());
      for (int p = 0; p < adam.firstMoments().size(); p++) {
        writeFloats(out, "adam.m." + p, adam.firstMoments().get(p));
        writeFloats(out, "adam.v." + p, adam.secondMoments().get(p));
        writeInts(out, "adam.rows." + p, adam.rowSteps().get(p));
      }
      out.flush();
      channel.force(true);
    }
    Checkpoint.Progress progress = checkpoint.progress();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "vaecf-checkpoint");
    meta.put("formatVersion", FORMAT_VERSION);
    meta.put("fingerprint", checkpoint.fingerprint());
    meta.put("epoch", progress.epoch());
    meta.put("batchesDone", progress.batchesDone());
    meta.put("step", progress.step());
    meta.put("nllSum", progress.nllSum());
    meta.put("klSum", progress.klSum());
    meta.put("lossSum", progress.lossSum());
    meta.put("lastBeta", progress.lastBeta());
    meta.put("seconds", progress.seconds());
    meta.put("bestEpoch", checkpoint.best().epoch());
    meta.put("bestValue", Double.toString(checkpoint.best().value()));
    meta.put("adamStep", adam.step());
    meta.put("adamTensors", adam.firstMoments().size());
    meta.put("weightTensors", shapes(checkpoint.weights()));
    meta.put("history", checkpoint.history());
    meta.put("arraysSha256", HexFormat.of().formatHex(digest.digest()));
    AtomicDirectory.writeSynced(target.resolve(META_FILE), JSON.writeValueAsBytes(meta));
  }

  /**
   * Reads the checkpoint in {@code directory}, if there is one.
   *
   * @throws IOException naming the file and the problem when a checkpoint is there but unreadable or corrupt: for
   *     {@code checkpoint.json} the field and what was expected, for {@code arrays.bin} the array
   */
  public static Optional<Checkpoint> load(Path directory) throws IOException {
    Path root = AtomicDirectory.resolveExisting(directory);
    Path metaFile = root.resolve(META_FILE);
    if (!Files.isRegularFile(metaFile)) {
      return Optional.empty();
    }
    Fields meta = Fields.read(metaFile);
    if (!"vaecf-checkpoint".equals(meta.node.path("format").asText())
        || meta.node.path("formatVersion").asInt() != FORMAT_VERSION) {
      throw new IOException(metaFile + ": not a vaecf checkpoint of format version " + FORMAT_VERSION);
    }
    // every field is read and checked before arrays.bin, so that no value of a damaged checkpoint.json is used
    String fingerprint = meta.text("fingerprint");
    int epoch = meta.integer("epoch", 1);
    int batchesDone = meta.integer("batchesDone", 0);
    long step = meta.longInteger("step", 0);
    double nllSum = meta.number("nllSum");
    double klSum = meta.number("klSum");
    double lossSum = meta.number("lossSum");
    double lastBeta = meta.number("lastBeta");
    double seconds = meta.number("seconds");
    int bestEpoch = meta.integer("bestEpoch", 0);
    double bestValue = meta.number("bestValue");
    long adamStep = meta.longInteger("adamStep", 0);
    int adamTensors = meta.integer("adamTensors", 0);
    List<Shape> shapes = new ArrayList<>();
    for (Fields tensor : meta.objects("weightTensors")) {
      shapes.add(new Shape(tensor.text("name"), tensor.integer("rows", 1), tensor.integer("cols", 1)));
    }
    List<EpochRecord> history = new ArrayList<>();
    for (Fields row : meta.objects("history")) {
      history.add(
          new EpochRecord(
              row.integer("epoch", 1), row.number("loss"), row.number("nll"), row.number("kl"),
              row.number("beta"), row.number("validation"), row.number("seconds"),
              row.number("learningRate"), row.longInteger("steps", 0)));
    }
    String arraysSha256 = meta.text("arraysSha256");

    Path arraysFile = root.resolve(ARRAYS_FILE);
    Map<String, Object> arrays = readArrays(arraysFile, arraysSha256);
    List<float[]> m = new ArrayList<>();
    List<float[]> v = new ArrayList<>();
    List<int[]> rows = new ArrayList<>();
    for (int p = 0; p < adamTensors; p++) {
      m.add(required(arrays, "adam.m." + p, float[].class, arraysFile));
      v.add(required(arrays, "adam.v." + p, float[].class, arraysFile));
      rows.add(required(arrays, "adam.rows." + p, int[].class, arraysFile));
    }
    Checkpoint.Progress progress =
        new Checkpoint.Progress(
            epoch, batchesDone, step, required(arrays, "order", int[].class, arraysFile), nllSum, klSum, lossSum,
            lastBeta, seconds);
    Checkpoint.Best best = new Checkpoint.Best(bestEpoch, bestValue, weights(arrays, "best.", shapes, arraysFile));
    return Optional.of(
        new Checkpoint(
            fingerprint, progress, best, history, weights(arrays, "weights.", shapes, arraysFile),
            new Adam.State(adamStep, m, v, rows)));
  }

  /**
   * The fields of one JSON object of {@code checkpoint.json}, each read with a check that fails with an
   * {@link IOException} naming the file, the field's path and what was expected. Numbers may also be text, as the
   * writer gives them: Jackson writes a non-finite double as {@code "NaN"} or {@code "-Infinity"}, and the best value
   * is written with {@link Double#toString}.
   */
  private static final class Fields {
    private static final int SHOWN_CHARACTERS = 40;

    private final JsonNode node;
    private final Path file;
    private final String path;

    private Fields(JsonNode node, Path file, String path) {
      this.node = node;
      this.file = file;
      this.path = path;
    }

    /** The top-level object of {@code file}. */
    static Fields read(Path file) throws IOException {
      JsonNode json;
      try {
        json = JSON.readTree(Files.readAllBytes(file));
      } catch (JsonProcessingException e) {
        throw corrupt(file, "is not valid JSON: " + e.getOriginalMessage());
      }
      if (json == null || json.isMissingNode()) {
        throw corrupt(file, "is empty");
      }
      if (!json.isObject()) {
        throw corrupt(file, "holds " + shown(json) + ", expected a JSON object");
      }
      return new Fields(json, file, "");
    }

    String text(String field) throws IOException {
      JsonNode value = required(field);
      if (!value.isTextual()) {
        throw mistyped(field, "a string", value);
      }
      return value.asText();
    }

    int integer(String field, int min) throws IOException {
      JsonNode value = required(field);
      if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
        throw mistyped(field, "an integer >= " + min, value);
      }
      return value.intValue();
    }

    long longInteger(String field, long min) throws IOException {
      JsonNode value = required(field);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min) {
        throw mistyped(field, "an integer >= " + min, value);
      }
      return value.longValue();
    }

    double number(String field) throws IOException {
      JsonNode value = required(field);
      if (value.isNumber()) {
        return value.doubleValue();
      }
      if (value.isTextual()) {
        try {
          return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw mistyped(field, "a number", value);
    }

    /** The elements of an array of objects, each with its path, e.g. {@code weightTensors[2]}. */
    List<Fields> objects(String field) throws IOException {
      JsonNode value = required(field);
      if (!value.isArray()) {
        throw mistyped(field, "an array", value);
      }
      List<Fields> elements = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        String element = field + "[" + i + "]";
        if (!value.get(i).isObject()) {
          throw mistyped(element, "an object", value.get(i));
        }
        elements.add(new Fields(value.get(i), file, where(element)));
      }
      return elements;
    }

    private JsonNode required(String field) throws IOException {
      JsonNode value = node.get(field);
      if (value == null) {
        throw corrupt(file, "field " + where(field) + " is missing");
      }
      return value;
    }

    private IOException mistyped(String field, String expected, JsonNode value) {
      return corrupt(file, "field " + where(field) + " must be " + expected + ", got " + shown(value));
    }

    private String where(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    private static String shown(JsonNode value) {
      String text = value.toString();
      return text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "…";
    }
  }

  /**
   * The arrays of {@code file} by name. The whole file goes through the digest first: one damaged byte anywhere, a
   * length header included, is then reported as the checksum mismatch it is, and nothing is allocated from a length
   * that has not been verified. Each length is still checked against the bytes left, so that a file whose checksum
   * matches but whose writer was faulty cannot make us allocate more than the file holds.
   */
  private static Map<String, Object> readArrays(Path file, String expectedSha256) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      // neither stream is closed: that would close the channel, which the try closes
      MessageDigest digest = sha256();
      new DigestInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16), digest)
          .transferTo(OutputStream.nullOutputStream());
      String checksum = HexFormat.of().formatHex(digest.digest());
      if (!checksum.equals(expectedSha256)) {
        throw corrupt(file, "checksum mismatch: SHA-256 is " + checksum + " but " + META_FILE + " records '"
            + expectedSha256 + "'");
      }
      long size = channel.position(0).size();
      CountingInputStream counted =
          new CountingInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
      DataInputStream in = new DataInputStream(counted);
      Map<String, Object> arrays = new LinkedHashMap<>();
      while (counted.count() < size) {
        String name = in.readUTF();
        byte kind = in.readByte();
        int length = in.readInt();
        int bytesPerValue = kind == FLOATS ? Float.BYTES : kind == INTS ? Integer.BYTES : 0;
        if (bytesPerValue == 0) {
          throw corrupt(file, "array '" + name + "' is of kind " + kind + ", expected " + FLOATS + " (floats) or "
              + INTS + " (ints)");
        }
        long valuesLeft = (size - counted.count()) / bytesPerValue;
        if (length < 0 || length > valuesLeft) {
          throw corrupt(file, "array '" + name + "' has length " + length + ", expected 0 to " + valuesLeft
              + " (what the rest of the file holds)");
        }
        if (kind == FLOATS) {
          float[] values = new float[length];
          readFloats(in, values);
          arrays.put(name, values);
        } else {
          int[] values = new int[length];
          readInts(in, values);
          arrays.put(name, values);
        }
      }
      return arrays;
    } catch (NoSuchFileException e) {
      throw corrupt(file, "missing from the checkpoint");
    } catch (EOFException e) {
      throw corrupt(file, "truncated");
    }
  }

  /**
   * The error for a checkpoint that is there but cannot be used: the file, what is wrong with it, and what to do. A
   * damaged checkpoint is reported, never used and never replaced silently: the user decides to start over.
   */
  private static IOException corrupt(Path file, String problem) {
    return new IOException(
        file + ": " + problem + " (the checkpoint is corrupt: train without resuming to start over)");
  }

  /** Counts the bytes read through it, so that each length can be checked against the bytes left. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count += skipped;
      return skipped;
    }
  }

  /** Name and shape of one weight tensor, as listed in checkpoint.json. */
  record Shape(String name, int rows, int cols) {}

  private static List<Shape> shapes(ModelWeights weights) {
    List<Shape> shapes = new ArrayList<>();
    for (NamedTensor tensor : weights.tensors()) {
      shapes.add(new Shape(tensor.name(), tensor.rows(), tensor.cols()));
    }
    return shapes;
  }

  private static ModelWeights weights(Map<String, Object> arrays, String prefix, List<Shape> shapes, Path file)
      throws IOException {
    List<NamedTensor> tensors = new ArrayList<>();
    for (Shape shape : shapes) {
      float[] values = required(arrays, prefix + shape.name(), float[].class, file);
      if (values.length != (long) shape.rows() * shape.cols()) {
        throw corrupt(file, "array '" + prefix + shape.name() + "' has " + values.length + " values, " + META_FILE
            + " gives it " + shape.rows() + " x " + shape.cols());
      }
      tensors.add(new NamedTensor(shape.name(), shape.rows(), shape.cols(), FloatBuffer.wrap(values)));
    }
    return new ModelWeights(tensors);
  }

  private static <T> T required(Map<String, Object> arrays, String name, Class<T> type, Path file) throws IOException {
    Object value = arrays.get(name);
    if (!type.isInstance(value)) {
      throw corrupt(file, "array '" + name + "' is missing");
    }
    return type.cast(value);
  }

  private static void writeWeights(DataOutputStream out, String prefix, ModelWeights weights) throws IOException {
    for (NamedTensor tensor : weights.tensors()) {
      writeFloats(out, prefix + tensor.name(), tensor.toArray());
    }
  }

  /**
   * An array as its name, kind, length and big-endian values (what {@link DataOutputStream#writeFloat} writes), a
   * slice of {@value #SLICE_VALUES} values at a time: value by value through the stream, a checkpoint of ml-100k's
   * model took 0.2 s, twice the epoch it follows.
   */
  private static void writeFloats(DataOutputStream out, String name, float[] values) throws IOException {
    out.writeUTF(name);
    out.writeByte(FLOATS);
    out.writeInt(values.length);
    // floatToIntBits, as DataOutputStream.writeFloat: every NaN written as the one canonical NaN
    writeSlices(
        out,
        values.length,
        Float.BYTES,
        (slice, from, n) -> {
          for (int i = 0; i < n; i++) {
            slice.putInt(i * Float.BYTES, Float.floatToIntBits(values[from + i]));
          }
        });
  }

  private static void writeInts(DataOutputStream out, String name, int[] values) throws IOException {
    out.writeUTF(name);
    out.writeByte(INTS);
    out.writeInt(values.length);
    writeSlices(out, values.length, Integer.BYTES, (slice, from, n) -> slice.asIntBuffer().put(values, from, n));
  }

  /** Reads {@code values.length} big-endian floats. */
  private static void readFloats(DataInputStream in, float[] values) throws IOException {
    readSlices(in, values.length, Float.BYTES, (slice, from, n) -> slice.asFloatBuffer().get(values, from, n));
  }

  /** Reads {@code values.length} big-endian ints. */
  private static void readInts(DataInputStream in, int[] values) throws IOException {
    readSlices(in, values.length, Integer.BYTES, (slice, from, n) -> slice.asIntBuffer().get(values, from, n));
  }

  /** Copies values {@code [from, from + n)} of an array to or from a big-endian slice. */
  @FunctionalInterface
  private interface SliceCopy {
    void copy(ByteBuffer slice, int from, int n);
  }

  private static void writeSlices(DataOutputStream out, int count, int bytesPerValue, SliceCopy fill)
      throws IOException {
    ByteBuffer slice = ByteBuffer.allocate(SLICE_VALUES * bytesPerValue); // big-endian, as DataOutputStream
    for (int from = 0; from < count; from += SLICE_VALUES) {
      int n = Math.min(SLICE_VALUES, count - from);
      slice.clear();
      fill.copy(slice, from, n);
      out.write(slice.array(), 0, n * bytesPerValue);
    }
  }

  private static void readSlices(DataInputStream in, int count, int bytesPerValue, SliceCopy drain)
      throws IOException {
    ByteBuffer slice = ByteBuffer.allocate(SLICE_VALUES * bytesPerValue);
    for (int from = 0; from < count; from += SLICE_VALUES) {
      int n = Math.min(SLICE_VALUES, count - from);
      in.readFully(slice.array(), 0, n * bytesPerValue);
      slice.clear();
      drain.copy(slice, from, n);
    }
  }

  /** Values per slice when arrays are written or read: 64 kB of bytes. */
  private static final int SLICE_VALUES = 16_384;

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

}
