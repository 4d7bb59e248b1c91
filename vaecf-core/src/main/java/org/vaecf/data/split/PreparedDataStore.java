package org.vaecf.data.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.data.Utf8LineReader;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.DataFormatException;
import org.vaecf.data.IdIndex;

/**
 * Writes {@link PreparedData} to a directory and reads it back, so that {@code prepare} runs once and {@code train} and
 * {@code evaluate} reuse its output.
 *
 * <p>Layout (format version {@value #FORMAT_VERSION}; all text is UTF-8, lines end with {@code \n}):
 * <ul>
 *   <li>{@code stats.json}: {@code formatVersion}; every {@link PreparationStats} count under its own name
 *       ({@code trainUsers}, {@code items}, {@code trainInteractions}, {@code validationUsers}, …); and, when the
 *       data has a {@link Provenance}, {@code protocol}, {@code format}, {@code inputs} and the split settings
 *       under their {@link SplitConfig} names ({@code ratingThreshold}, {@code minUserInteractions},
 *       {@code heldOutUsers}, {@code seed}, {@code rng}, {@code testProportion}, …);
 *   <li>{@code items.tsv}: line {@code i + 1} is the raw id of item (column) {@code i};
 *   <li>{@code train.tsv}: one line per training user in row order, {@code user<TAB>columns}, the columns as
 *       increasing dense item indexes separated by single spaces;
 *   <li>{@code validation.tsv}, {@code test.tsv}: one line per held-out user in row order,
 *       {@code user<TAB>fold-in columns<TAB>held-out columns} (either list may be empty).
 * </ul>
 * A user's id and row sit on one line so they cannot drift apart. Raw ids never contain tabs or line breaks (the
 * readers reject them), which is what makes this layout safe.
 *
 * <p>Writes are atomic: everything goes to a temporary sibling directory, which then takes the target's place; an
 * existing target is replaced only once the new data is complete, and is left untouched when writing fails. An
 * existing non-empty directory without {@code stats.json} is not replaced, to keep a mistyped path from wiping
 * unrelated files. Reading checks the version, every line and every count, and fails with a
 * {@link DataFormatException} naming the file (and line).
 */
public final class PreparedDataStore {
  /** The layout version written, and the only one read. */
  public static final int FORMAT_VERSION = 1;
  public static final String STATS_FILE = "stats.json";
  public static final String ITEMS_FILE = "items.tsv";
  public static final String TRAIN_FILE = "train.tsv";
  public static final String VALIDATION_FILE = "validation.tsv";
  public static final String TEST_FILE = "test.tsv";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PreparedDataStore() {}

  /**
   * Writes {@code data} to {@code dir}, replacing a previous prepared-data directory there.
   *
   * @throws UncheckedIOException naming the path when writing fails or {@code dir} holds something else
   * @throws IllegalArgumentException when an id is empty or holds a tab or line break (nothing is replaced)
   */
  public static void write(PreparedData data, Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot write prepared data to the file-system root");
    }
    try {
      AtomicDirectory.write(target, STATS_FILE, directory -> writeFiles(data, directory));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write prepared data to " + target + ": " + e.getMessage(), e);
    }
  }

  private static void writeFiles(PreparedData data, Path dir) throws IOException {
    writeText(dir.resolve(STATS_FILE), out -> out.write(JSON.writeValueAsString(statsJson(data)) + "\n"));
    writeText(dir.resolve(ITEMS_FILE), out -> {
      for (String item : data.items().ids()) {
        out.write(checkedId(item, "item"));
        out.write('\n');
      }
    });
    writeText(dir.resolve(TRAIN_FILE), out -> {
      for (int r = 0; r < data.train().rows(); r++) {
        out.write(checkedId(data.trainUsers().rawId(r), "user"));
        out.write('\t');
        writeRow(out, data.train(), r);
        out.write('\n');
      }
    });
    writeHeldOut(dir.resolve(VALIDATION_FILE), data.validation());
    writeHeldOut(dir.resolve(TEST_FILE), data.test());
  }

  private static void writeHeldOut(Path file, HeldOutSet set) throws IOException {
    writeText(file, out -> {
      for (int r = 0; r < set.size(); r++) {
        out.write(checkedId(set.users().rawId(r), "user"));
        out.write('\t');
        writeRow(out, set.foldIn(), r);
        out.write('\t');
        writeRow(out, set.heldOut(), r);
        out.write('\n');
      }
    });
  }

  /** {@code id}, if the line-based, tab-separated layout can hold it. */
  private static String checkedId(String id, String kind) {
    if (id.isEmpty() || id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          kind + " id '" + id.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
              + "' cannot be stored: ids must be non-empty and free of tabs and line breaks");
    }
    return id;
  }

  private static void writeRow(Writer out, CsrMatrix matrix, int r) throws IOException {
    int[] columns = matrix.colIndexes();
    for (int k = matrix.rowStart(r); k < matrix.rowEnd(r); k++) {
      if (k > matrix.rowStart(r)) {
        out.write(' ');
      }
      out.write(Integer.toString(columns[k]));
    }
  }

  /** What a file's content is written by. */
  private interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private static void writeText(Path file, Content content) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Writer out = new BufferedWriter(
          new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
      content.writeTo(out);
      out.flush();
      // On disk before the rename makes it visible: a crash must not leave a complete-looking, truncated directory.
      channel.force(true);
    }
  }

  private static ObjectNode statsJson(PreparedData data) {
    ObjectNode root = JSON.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    putRecord(root, data.stats());
    data.provenance().ifPresent(provenance -> {
      root.put("protocol", provenance.split().protocol().cliName());
      root.put("format", provenance.format());
      ArrayNode inputs = root.putArray("inputs");
      provenance.inputs().forEach(inputs::add);
      putRecord(root, (Record) provenance.split());
    });
    return root;
  }

  /** Puts each component of {@code record} under its name; the stats and the split settings are flat records. */
  private static void putRecord(ObjectNode node, Record record) {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName(), e);
      }
      if (value instanceof Integer i) {
        node.put(component.getName(), i);
      } else if (value instanceof Long l) {
        node.put(component.getName(), l);
      } else if (value instanceof Double d) {
        node.put(component.getName(), d);
      } else if (value instanceof SplitRng rng) {
        node.put(component.getName(), rng.cliName());
      } else {
        throw new IllegalStateException("no JSON form for " + component.getName() + " of type " + component.getType());
      }
    }
  }

  /**
   * Reads the prepared data in {@code target} — or, when a write over it was interrupted between its two renames, the
   * previous version that write left beside it ({@link AtomicDirectory#resolveExisting}).
   *
   * @throws DataFormatException naming the file (and line) when a file is missing, of another version, corrupt, or
   *     inconsistent with {@code stats.json}
   * @throws UncheckedIOException when {@code target} does not exist or cannot be read
   */
  public static PreparedData read(Path target) {
    // itself, or the previous version that a write interrupted between its two renames left beside it
    Path dir = AtomicDirectory.resolveExisting(target);
    if (!Files.isDirectory(dir)) {
      throw new UncheckedIOException(
          "prepared-data directory " + target + " does not exist", new NoSuchFileException(target.toString()));
    }
    try {
      Path statsFile = require(dir.resolve(STATS_FILE));
      JsonNode root = readJson(statsFile);
      String statsName = statsFile.toString();
      JsonNode version = root.get("formatVersion");
      if (version == null || !version.canConvertToInt()) {
        throw new DataFormatException(statsName, "has no formatVersion (expected " + FORMAT_VERSION + ")");
      }
      if (version.asInt() != FORMAT_VERSION) {
        throw new DataFormatException(
            statsName, "prepared-data format version " + version.asInt() + " is not supported (this version of vaecf "
                + "reads version " + FORMAT_VERSION + "); run prepare again");
      }
      PreparationStats stats = readRecord(PreparationStats.class, root, statsName);
      Optional<Provenance> provenance = readProvenance(root, statsName);

      Path itemsFile = require(dir.resolve(ITEMS_FILE));
      IdIndex items = readItems(itemsFile);
      expect(itemsFile, items.size(), "items", stats.items());
      Path trainFile = require(dir.resolve(TRAIN_FILE));
      Rows train = readRows(trainFile, items.size(), false);
      expect(trainFile, train.users.size(), "trainUsers", stats.trainUsers());
      expect(trainFile, train.first.nnz(), "trainInteractions", stats.trainInteractions());
      HeldOutSet validation = readHeldOut(require(dir.resolve(VALIDATION_FILE)), items.size(), stats.validationUsers(),
          "validation", stats.validationFoldInInteractions(), stats.validationHeldOutInteractions());
      HeldOutSet test = readHeldOut(require(dir.resolve(TEST_FILE)), items.size(), stats.testUsers(),
          "test", stats.testFoldInInteractions(), stats.testHeldOutInteractions());
      return new PreparedData(items, train.users, train.first, validation, test, stats, provenance);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prepared data in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Path require(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(
          file.toString(), "is missing (expected in a prepared-data directory written by prepare)");
    }
    return file;
  }

  private static JsonNode readJson(Path file) throws IOException {
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new DataFormatException(file.toString(), "is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String problem = "is not valid JSON: " + e.getOriginalMessage();
      throw line > 0 ? new DataFormatException(file.toString(), line, problem)
          : new DataFormatException(file.toString(), problem);
    }
  }

  private static Optional<Provenance> readProvenance(JsonNode root, String file) {
    JsonNode protocolNode = root.get("protocol");
    if (protocolNode == null) {
      return Optional.empty();
    }
    SplitProtocol protocol;
    try {
      protocol = SplitProtocol.fromCliName(protocolNode.asText());
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, e.getMessage());
    }
    Class<? extends Record> type = switch (protocol) {
      case STRONG_GENERALIZATION -> StrongGeneralizationConfig.class;
      case USER_RATIO -> UserRatioConfig.class;
      case LEAVE_LAST_OUT -> LeaveLastOutConfig.class;
    };
    SplitConfig split = (SplitConfig) readRecord(type, root, file);
    JsonNode format = root.get("format");
    JsonNode inputs = root.get("inputs");
    if (format == null || !format.isTextual() || inputs == null || !inputs.isArray()) {
      throw new DataFormatException(file, "has a protocol but no text 'format' or no array 'inputs'");
    }
    List<String> inputList = new ArrayList<>();
    inputs.forEach(input -> inputList.add(input.asText()));
    return Optional.of(new Provenance(format.asText(), inputList, split));
  }

  /** Builds a record of {@code type} from the same-named fields of {@code node}, each required and type-checked. */
  private static <R extends Record> R readRecord(Class<R> type, JsonNode node, String file) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      Class<?> valueType = components[i].getType();
      types[i] = valueType;
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw new DataFormatException(file, "has no '" + name + "'");
      }
      if (valueType == int.class && value.canConvertToInt() && value.isIntegralNumber()) {
        values[i] = value.intValue();
      } else if (valueType == long.class && value.canConvertToLong() && value.isIntegralNumber()) {
        values[i] = value.longValue();
      } else if (valueType == double.class && value.isNumber()) {
        values[i] = value.doubleValue();
      } else if (valueType == SplitRng.class && value.isTextual()) {
        try {
          values[i] = SplitRng.fromCliName(value.asText());
        } catch (IllegalArgumentException e) {
          throw new DataFormatException(file, "'" + name + "': " + e.getMessage());
        }
      } else {
        throw new DataFormatException(
            file, "'" + name + "' is " + value + ", expected a value of type " + valueType.getSimpleName());
      }
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      throw new DataFormatException(file, "invalid settings: " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  private static void expect(Path file, long found, String statName, long expected) {
    if (found != expected) {
      throw new DataFormatException(
          file.toString(), "holds " + found + " for " + statName + " but " + STATS_FILE + " says " + expected);
    }
  }

  private static IdIndex readItems(Path file) throws IOException {
    IdIndex.Builder items = new IdIndex.Builder();
    try (Utf8LineReader in = new Utf8LineReader(Files.newInputStream(file))) {
      long lineNumber = 0;
      for (String line = readLine(in, file); line != null; line = readLine(in, file)) {
        lineNumber++;
        if (line.isEmpty() || line.indexOf('\t') >= 0) {
          throw new DataFormatException(file.toString(), lineNumber, "expected one non-empty item id without tabs");
        }
        int before = items.size();
        if (items.add(line) != before) {
          throw new DataFormatException(file.toString(), lineNumber, "item id '" + line + "' appears twice");
        }
      }
    }
    return items.build();
  }

  /** The next line of {@code file}; a line that is not UTF-8 is a {@link DataFormatException} naming it. */
  private static String readLine(Utf8LineReader in, Path file) throws IOException {
    try {
      return in.readLine();
    } catch (Utf8LineReader.MalformedLineException e) {
      throw new DataFormatException(file.toString(), e.line(), e.problem());
    }
  }

  /** Users and one or two matrices read from a part's file. */
  private record Rows(IdIndex users, CsrMatrix first, CsrMatrix second) {}

  private static Rows readRows(Path file, int items, boolean heldOut) throws IOException {
    IdIndex.Builder users = new IdIndex.Builder();
    CsrMatrix.Builder first = new CsrMatrix.Builder(items);
    CsrMatrix.Builder second = new CsrMatrix.Builder(items);
    int expectedFields = heldOut ? 3 : 2;
    String name = file.toString();
    int[] buffer = new int[64];
    try (Utf8LineReader in = new Utf8LineReader(Files.newInputStream(file))) {
      long lineNumber = 0;
      for (String line = readLine(in, file); line != null; line = readLine(in, file)) {
        lineNumber++;
        String[] fields = line.split("\t", -1);
        if (fields.length != expectedFields) {
          throw new DataFormatException(name, lineNumber, "expected " + expectedFields + " tab-separated fields ("
              + (heldOut ? "user, fold-in items, held-out items" : "user, items") + "), found " + fields.length);
        }
        if (fields[0].isEmpty()) {
          throw new DataFormatException(name, lineNumber, "user id is empty");
        }
        int before = users.size();
        if (users.add(fields[0]) != before) {
          throw new DataFormatException(name, lineNumber, "user '" + fields[0] + "' appears twice");
        }
        buffer = parseRow(fields[1], items, buffer, name, lineNumber);
        first.addRow(buffer, 1, 1 + buffer[0]);
        if (heldOut) {
          buffer = parseRow(fields[2], items, buffer, name, lineNumber);
          second.addRow(buffer, 1, 1 + buffer[0]);
        }
      }
    }
    return new Rows(users.build(), first.build(), second.build());
  }

  /** Parses space-separated increasing columns into {@code buffer[1..]}, with their count in {@code buffer[0]}. */
  private static int[] parseRow(String text, int items, int[] buffer, String file, long line) {
    int count = 0;
    int previous = -1;
    if (!text.isEmpty()) {
      for (String token : text.split(" ", -1)) {
        int column;
        try {
          column = Integer.parseInt(token);
        } catch (NumberFormatException e) {
          throw new DataFormatException(file, line, "item index '" + token + "' is not an integer");
        }
        if (column < 0 || column >= items) {
          throw new DataFormatException(
              file, line, "item index " + column + " is out of range (expected 0.." + (items - 1) + ")");
        }
        if (column <= previous) {
          throw new DataFormatException(file, line, "item indexes must be strictly increasing, found " + previous
              + " before " + column);
        }
        previous = column;
        if (count + 2 > buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[1 + count++] = column;
      }
    }
    buffer[0] = count;
    return buffer;
  }

  private static HeldOutSet readHeldOut(Path file, int items, int expectedUsers, String part, long expectedFoldIn,
      long expectedHeldOut) throws IOException {
    Rows rows = readRows(file, items, true);
    expect(file, rows.users.size(), part + "Users", expectedUsers);
    expect(file, rows.first.nnz(), part + "FoldInInteractions", expectedFoldIn);
    expect(file, rows.second.nnz(), part + "HeldOutInteractions", expectedHeldOut);
    return new HeldOutSet(rows.users, rows.first, rows.second);
  }
}
