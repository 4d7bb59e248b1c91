package org.vaecf.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.data.IdIndex;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TensorShape;
import org.vaecf.model.TrainedModel;

/**
 * Writes and reads a {@link TrainedModel} as a bundle directory:
 *
 * <ul>
 *   <li>{@code model.json} — format name and version, the architecture, the item count, the training record
 *       (seed, settings, data statistics, best epoch and its validation metric, history), the tensor layout of
 *       {@code weights.bin}, and each file's size and SHA-256;
 *   <li>{@code items.tsv} — one line per item column, {@code <index>\t<raw id>}, index from 0;
 *   <li>{@code weights.bin} — every tensor of {@code model.json}'s {@code tensors} list, in that order, as row-major
 *       little-endian IEEE-754 float32, no header and no padding (tensor {@code t} starts at byte
 *       {@code tensors[t].offset});
 *   <li>{@code history.json}, {@code history.csv} — the per-epoch history again, for plots and spreadsheets
 *       ({@link HistoryFiles}); extra files that reading does not need, so bundles without them still load.
 * </ul>
 *
 * Writes are atomic ({@link AtomicDirectory}); reads check the format version, the sizes and the checksums, and fail
 * with a {@link BundleException} naming the problem.
 */
public final class ModelBundle {
  /** The bundle format this code writes; it reads this version and older ones. */
  public static final int FORMAT_VERSION = 1;
  /** The value of {@code model.json}'s {@code format} field. */
  public static final String FORMAT_NAME = "vaecf-model";
  /** The bundle's description (format, configuration, training history, checksums): its marker file. */
  public static final String MODEL_FILE = "model.json";
  static final String ITEMS_FILE = "items.tsv";
  static final String WEIGHTS_FILE = "weights.bin";
  /** The checkpoint directory that training keeps inside the bundle directory it is writing. */
  public static final String CHECKPOINT_DIRECTORY = ".checkpoint";
  /** Files whose presence shows that vaecf wrote a directory, so that it may be replaced. */
  public static final java.util.Set<String> OWNED_MARKERS = java.util.Set.of(MODEL_FILE, CHECKPOINT_DIRECTORY);

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelBundle() {}

  /**
   * Writes {@code model} to the directory {@code target}, replacing a previous bundle there only once the new one is
   * complete.
   *
   * @throws BundleException naming the directory if anything cannot be written; the old bundle is then intact
   */
  public static void write(TrainedModel model, Path target) {
    try {
      AtomicDirectory.write(target, OWNED_MARKERS, directory -> writeFiles(model, directory));
    } catch (IOException e) {
      throw new BundleException(target, "could not write the model bundle: " + describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new BundleException(target, "could not write the model bundle: " + e.getMessage(), e);
    }
  }

  private static void writeFiles(TrainedModel model, Path directory) throws IOException {
    byte[] items = itemsBytes(model.items());
    byte[] weights = weightsBytes(model.weights());
    AtomicDirectory.writeSynced(directory.resolve(ITEMS_FILE), items);
    AtomicDirectory.writeSynced(directory.resolve(WEIGHTS_FILE), weights);
    byte[] historyJson = HistoryFiles.json(model.training());
    byte[] historyCsv = HistoryFiles.csv(model.training());
    AtomicDirectory.writeSynced(directory.resolve(HistoryFiles.JSON_FILE), historyJson);
    AtomicDirectory.writeSynced(directory.resolve(HistoryFiles.CSV_FILE), historyCsv);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put(ITEMS_FILE, fileEntry(items));
    files.put(WEIGHTS_FILE, fileEntry(weights));
    files.put(HistoryFiles.JSON_FILE, fileEntry(historyJson));
    files.put(HistoryFiles.CSV_FILE, fileEntry(historyCsv));
    Map<String, Object> json = BundleMetadata.toJson(model, files, sha256(weights).substring(0, 16));
    AtomicDirectory.writeSynced(directory.resolve(MODEL_FILE), JSON.writeValueAsBytes(json));
  }

  private static Map<String, Object> fileEntry(byte[] bytes) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("bytes", bytes.length);
    entry.put("sha256", sha256(bytes));
    return entry;
  }

  private static byte[] itemsBytes(IdIndex items) {
    StringBuilder text = new StringBuilder(items.size() * 12);
    for (int i = 0; i < items.size(); i++) {
      String id = items.rawId(i);
      // items.tsv is read line by line, so an id holding a line break could not be read back.
      if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "item " + i + " has an id with a line break, which items.tsv cannot hold: '" + id + "'");
      }
      text.append(i).append('\t').append(id).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] weightsBytes(ModelWeights weights) {
    long floats = weights.parameterCount();
    if (floats * Float.BYTES > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("weights of " + floats + " floats exceed the 2 GB bundle limit");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer out = bytes.asFloatBuffer();
    for (NamedTensor tensor : weights.tensors()) {
      out.put(tensor.values().duplicate().rewind());
    }
    return bytes.array();
  }

  /**
   * Reads the bundle in {@code directory}.
   *
   * @throws BundleException naming the file and the problem: missing files, unknown format or a newer version,
   *     size or checksum mismatch (a truncated or altered file), inconsistent content
   */
  public static TrainedModel read(Path directory) {
    Path root = AtomicDirectory.resolveExisting(directory);
    if (!Files.isDirectory(root)) {
      throw new BundleException(directory, "no model bundle here (expected a directory holding " + MODEL_FILE + ")");
    }
    Path modelFile = root.resolve(MODEL_FILE);
    JsonNode json;
    try {
      json = JSON.readTree(Files.readAllBytes(modelFile));
    } catch (NoSuchFileException e) {
      throw new BundleException(modelFile, "missing; not a model bundle");
    } catch (JsonProcessingException e) {
      throw new BundleException(modelFile, "is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new BundleException(modelFile, "could not be read: " + describe(e), e);
    }
    BundleMetadata metadata = BundleMetadata.fromJson(json, modelFile, FORMAT_NAME, FORMAT_VERSION);
    IdIndex items = readItems(root.resolve(ITEMS_FILE), metadata);
    ModelWeights weights = readWeights(root.resolve(WEIGHTS_FILE), metadata, items.size());
    return new TrainedModel(metadata.config(), items, weights, metadata.training());
  }

  /** The short id of the bundle in {@code directory} (a prefix of the weights' SHA-256), read from model.json. */
  public static String id(Path directory) {
    Path modelFile = AtomicDirectory.resolveExisting(directory).resolve(MODEL_FILE);
    try {
      return JSON.readTree(Files.readAllBytes(modelFile)).path("id").asText();
    } catch (IOException e) {
      throw new BundleException(modelFile, "could not be read: " + describe(e), e);
    }
  }

  private static IdIndex readItems(Path file, BundleMetadata metadata) {
    verifyFile(file, metadata.file(ITEMS_FILE));
    // not sized from model.json's count: that file has no checksum of its own, and the count is checked below against
    // the lines of this checksummed file
    List<String> ids = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        int tab = line.indexOf('\t');
        if (tab < 0 || !line.substring(0, tab).equals(Integer.toString(number - 1))) {
          throw new BundleException(
              file, "line " + number + ": expected '" + (number - 1) + "<TAB><item id>', got '" + line + "'");
        }
        ids.add(line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new BundleException(file, "could not be read: " + describe(e), e);
    }
    if (ids.size() != metadata.items()) {
      throw new BundleException(
          file, "holds " + ids.size() + " items but " + MODEL_FILE + " says " + metadata.items());
    }
    try {
      return IdIndex.of(ids);
    } catch (IllegalArgumentException e) {
      throw new BundleException(file, e.getMessage());
    }
  }

  private static ModelWeights readWeights(Path file, BundleMetadata metadata, int items) {
    verifyFile(file, metadata.file(WEIGHTS_FILE));
    List<TensorShape> expected = Autoencoder.parameterShapes(metadata.config(), items);
    if (!expected.equals(metadata.tensors())) {
      throw new BundleException(
          file.resolveSibling(MODEL_FILE),
          "the tensor layout does not match a " + metadata.config().type() + " with hidden "
              + metadata.config().hiddenDims() + ", latent " + metadata.config().latentDim() + " over " + items
              + " items");
    }
    long needed = 0;
    for (TensorShape shape : expected) {
      needed += (long) shape.rows() * shape.cols() * Float.BYTES;
    }
    List<NamedTensor> tensors = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != needed) {
        throw new BundleException(
            file, "has " + channel.size() + " bytes but the tensor layout in " + MODEL_FILE + " needs " + needed);
      }
      // straight into each tensor's array through one small buffer (see AtomicDirectory.IO_SLICE_BYTES): loading a
      // model allocates nothing beyond the weights themselves
      ByteBuffer slice = ByteBuffer.allocate(AtomicDirectory.IO_SLICE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (TensorShape shape : expected) {
        float[] values = new float[shape.rows() * shape.cols()];
        int filled = 0;
        while (filled < values.length) {
          slice.clear().limit(Math.min(slice.capacity(), (values.length - filled) * Float.BYTES));
          while (slice.hasRemaining()) {
            if (channel.read(slice) < 0) {
              throw new BundleException(file, "ended early (truncated while being read?)");
            }
          }
          slice.flip();
          int count = slice.remaining() / Float.BYTES;
          slice.asFloatBuffer().get(values, filled, count);
          filled += count;
        }
        tensors.add(new NamedTensor(shape.name(), shape.rows(), shape.cols(), FloatBuffer.wrap(values)));
      }
    } catch (IOException e) {
      throw new BundleException(file, "could not be read: " + describe(e), e);
    }
    return new ModelWeights(tensors);
  }

  private static void verifyFile(Path file, BundleMetadata.FileEntry entry) {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new BundleException(file, "missing from the bundle");
    } catch (IOException e) {
      throw new BundleException(file, "could not be read: " + describe(e), e);
    }
    if (size != entry.bytes()) {
      throw new BundleException(
          file, "has " + size + " bytes but " + MODEL_FILE + " records " + entry.bytes() + " (truncated or replaced?)");
    }
    String actual = sha256(file);
    if (!actual.equals(entry.sha256())) {
      throw new BundleException(
          file, "checksum mismatch: SHA-256 is " + actual + " but " + MODEL_FILE + " records " + entry.sha256()
              + " (the file is corrupt)");
    }
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static String sha256(Path file) {
    MessageDigest digest = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new BundleException(file, "could not be read: " + describe(e), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + " (" + message + ")";
  }
}
