package org.vaecf.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Replaces a directory as a whole: the new content is written into a temporary sibling, synced, and renamed into
 * place. An existing directory is first renamed to {@code .<name>.previous} and deleted only after the new one is in
 * place (or renamed back if that fails), so at every moment either the old or the new complete directory exists
 * under one of the two names, and {@link #resolveExisting} finds it. Used for prepared data and model bundles.
 */
public final class AtomicDirectory {
  /** Writes the files of a directory. */
  @FunctionalInterface
  public interface Content {
    /** Writes everything into {@code directory} (which exists and is empty). */
    void writeInto(Path directory) throws IOException;
  }

  private AtomicDirectory() {}

  /**
   * Writes {@code content} and moves it to {@code target}, replacing what was there.
   *
   * <p>To keep a mistyped path from wiping unrelated files, an existing {@code target} is replaced only if it is an
   * empty directory or holds {@code markerFile} (the file every directory of this kind has, e.g. {@code model.json}).
   *
   * @throws IOException if the target cannot be replaced or writing fails; {@code target} is then unchanged and the
   *     temporary directory removed
   */
  public static void write(Path target, String markerFile, Content content) throws IOException {
    write(target, Set.of(markerFile), content);
  }

  /**
   * Like {@link #write(Path, String, Content)}, accepting an existing directory that holds any of {@code markers}.
   */
  public static void write(Path target, Set<String> markers, Content content) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new IOException("cannot replace the file-system root");
    }
    String name = absolute.getFileName().toString();
    Path previous = parent.resolve("." + name + ".previous");
    if (!Files.exists(absolute) && Files.isDirectory(previous)) {
      move(previous, absolute); // finish the recovery of a write interrupted between its two renames
    }
    checkReplaceable(absolute, markers);
    Files.createDirectories(parent);
    removeLeftoverTemporaries(parent, name);
    // createDirectory rather than createTempDirectory: the latter's owner-only mode would stay on the result.
    Path temporary = Files.createDirectory(parent.resolve("." + name + ".tmp-" + UUID.randomUUID()));
    try {
      content.writeInto(temporary);
      syncDirectory(temporary);
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temporary);
      throw e;
    }
    deleteRecursively(previous);
    if (Files.exists(absolute)) {
      move(absolute, previous);
      try {
        move(temporary, absolute);
      } catch (IOException e) {
        move(previous, absolute);
        deleteRecursively(temporary);
        throw e;
      }
    } else {
      move(temporary, absolute);
    }
    syncDirectory(parent);
    deleteRecursively(previous);
  }

  /**
   * Whether {@code target} may be replaced: it does not exist, or is an empty directory, or holds one of
   * {@code markers}.
   */
  public static boolean replaceable(Path target, Set<String> markers) throws IOException {
    if (!Files.exists(target)) {
      return true;
    }
    if (!Files.isDirectory(target)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(target)) {
      // Ours if it is empty, holds a marker, or holds only what an interrupted write of a marker leaves behind
      // (its temporary or previous sibling, named "." + marker + ".tmp-…" / ".previous").
      List<String> names = entries.map(entry -> entry.getFileName().toString()).toList();
      return names.isEmpty()
          || names.stream().anyMatch(markers::contains)
          || names.stream().allMatch(entry -> markers.stream().anyMatch(marker -> entry.startsWith("." + marker + ".")));
    }
  }

  private static void checkReplaceable(Path target, Set<String> markers) throws IOException {
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new IOException(target + " exists and is not a directory");
    }
    if (!replaceable(target, markers)) {
      throw new IOException(
          "refusing to replace " + target + ": it is not empty and has no " + String.join(" or ", markers)
              + ", so it was not written by vaecf");
    }
  }

  /** Deletes the temporary siblings that writes killed before their rename left behind. */
  private static void removeLeftoverTemporaries(Path parent, String name) throws IOException {
    String prefix = "." + name + ".tmp-";
    try (Stream<Path> siblings = Files.list(parent)) {
      for (Path sibling : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        deleteRecursively(sibling);
      }
    }
  }

  /**
   * The directory to read for {@code target}: itself, or the previous version left by a write that was interrupted
   * between its two renames.
   */
  public static Path resolveExisting(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute) || absolute.getParent() == null) {
      return absolute;
    }
    Path previous = absolute.getParent().resolve("." + absolute.getFileName() + ".previous");
    return Files.isDirectory(previous) ? previous : absolute;
  }

  /**
   * Largest heap buffer handed to one channel read or write. The JDK passes a heap buffer to the system through a
   * temporary direct buffer of the same size and keeps that cached on the calling thread, so a model's weights
   * written or read in one call would leave their size in off-heap memory on every thread that ever did it (a
   * service reloading models on its request threads grew by the model size per reload).
   */
  public static final int IO_SLICE_BYTES = 1 << 20;

  /** Writes {@code bytes} to {@code file} and forces them to disk. */
  public static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int offset = 0; offset < bytes.length; offset += IO_SLICE_BYTES) {
        java.nio.ByteBuffer slice =
            java.nio.ByteBuffer.wrap(bytes, offset, Math.min(IO_SLICE_BYTES, bytes.length - offset));
        while (slice.hasRemaining()) {
          channel.write(slice);
        }
      }
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void syncDirectory(Path directory) {
    // Syncing a directory makes the renames durable on Linux; other systems may refuse to open it, which is harmless.
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  /** Deletes {@code path} and everything below it, if it exists. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
            if (failure != null) {
              throw failure;
            }
            Files.delete(directory);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
