package org.vaecf.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.vaecf.data.AtomicDirectory;

/**
 * Fetches a {@link KnownDataSet} into {@code <dir>/<name>}: reads the published MD5, downloads the zip (resuming a
 * partial download {@code <dir>/.<name>.zip.part}), verifies it, and unpacks its folder atomically, so that
 * {@code <dir>/<name>} either does not exist or holds the whole verified data set. A checksum mismatch deletes the
 * partial file (its bytes are wrong, so resuming would not help). A non-empty {@code <dir>/<name>} that an earlier
 * fetch did not unpack is left alone and refused before anything is downloaded.
 */
public final class DataSetFetcher {
  /** Written into every unpacked folder: what was fetched from where, and its checksum. */
  public static final String MARKER_FILE = ".vaecf-fetch";

  private static final Pattern MD5 = Pattern.compile("\\b([0-9a-fA-F]{32})\\b");

  private final Downloader downloader;
  private final URI base;

  /**
   * @param base the address holding the zips and their {@code .md5} files ({@link KnownDataSet#GROUPLENS}, or a
   *     mirror with the same file names)
   */
  public DataSetFetcher(Downloader downloader, URI base) {
    this.downloader = downloader;
    String text = base.toString();
    this.base = text.endsWith("/") ? base : URI.create(text + "/");
  }

  /** What a fetch did. */
  public record Fetched(Path folder, boolean alreadyThere, String md5, long bytes) {}

  /**
   * Fetches {@code set} into {@code dir}; returns at once if {@code dir/<name>} already holds it.
   *
   * @throws FetchException naming the address or file and what to do; also, before anything is downloaded, if
   *     {@code dir/<name>} exists and is neither empty nor an earlier fetch's folder
   */
  public Fetched fetch(KnownDataSet set, Path dir, DownloadProgress progress) throws FetchException {
    Path folder = dir.resolve(set.cliName());
    if (Files.isRegularFile(folder.resolve(MARKER_FILE))) {
      return new Fetched(folder, true, "", 0);
    }
    requireReplaceable(set, folder);
    URI zip = base.resolve(set.zipName());
    String expected = publishedMd5(base.resolve(set.zipName() + ".md5"));
    Path part = dir.resolve("." + set.zipName() + ".part");
    boolean createdDir = !Files.isDirectory(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FetchException(dir + " could not be created: " + Downloader.describe(e), e);
    }
    long bytes;
    try {
      bytes = downloader.download(zip, part, progress);
    } catch (FetchException e) {
      if (createdDir && !Files.exists(part)) {
        removeIfEmpty(dir);
      }
      throw e;
    }
    String actual = md5(part);
    if (!actual.equalsIgnoreCase(expected)) {
      Downloader.deleteQuietly(part);
      if (createdDir) {
        removeIfEmpty(dir);
      }
      throw new FetchException(
          "checksum mismatch for " + zip + ": MD5 is " + actual + " but the published one is " + expected
              + "; the download was deleted, nothing was unpacked");
    }
    unpack(set, part, folder, zip, actual);
    Downloader.deleteQuietly(part);
    return new Fetched(folder, false, actual, bytes);
  }

  /**
   * Refuses a folder the unpacking would refuse ({@link AtomicDirectory#write} replaces only what vaecf wrote), so
   * that the user learns it before the download rather than after it.
   */
  private static void requireReplaceable(KnownDataSet set, Path folder) throws FetchException {
    String refused = "so nothing was downloaded: ";
    String elsewhere = "move it away or fetch into another directory (--dir)";
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new FetchException(folder + " exists and is not a directory, " + refused + elsewhere);
    }
    boolean ours;
    try {
      ours = AtomicDirectory.replaceable(folder, Set.of(MARKER_FILE));
    } catch (IOException e) {
      throw new FetchException(folder + " could not be read: " + Downloader.describe(e), e);
    }
    if (!ours) {
      // most likely the zip unpacked by hand: its files are usable as they are
      throw new FetchException(
          folder + " exists and was not unpacked by vaecf (it has no " + MARKER_FILE + "), " + refused
              + "if it holds " + set.cliName() + ", prepare it from there; otherwise " + elsewhere);
    }
  }

  private String publishedMd5(URI uri) throws FetchException {
    String text;
    try {
      text = downloader.text(uri);
    } catch (FetchException e) {
      throw new FetchException("the published checksum could not be fetched, so nothing was downloaded: "
          + e.getMessage(), e);
    }
    Matcher matcher = MD5.matcher(text);
    if (!matcher.find()) {
      throw new FetchException(uri + " holds no MD5 checksum");
    }
    return matcher.group(1).toLowerCase(Locale.ROOT);
  }

  /** Unpacks the zip's top folder {@code <name>/} into {@code folder}, all or nothing. */
  private static void unpack(KnownDataSet set, Path zip, Path folder, URI source, String md5) throws FetchException {
    String prefix = set.cliName() + "/";
    try {
      AtomicDirectory.write(folder, MARKER_FILE, directory -> {
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
          for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
            String name = entry.getName();
            if (!name.startsWith(prefix) || name.equals(prefix)) {
              continue; // e.g. __MACOSX/ or the folder itself
            }
            Path target = directory.resolve(name.substring(prefix.length())).normalize();
            if (!target.startsWith(directory)) {
              throw new IOException("the zip entry " + name + " points outside its folder; refusing to unpack it");
            }
            if (entry.isDirectory()) {
              Files.createDirectories(target);
            } else {
              Files.createDirectories(target.getParent());
              Files.copy(in, target);
              files++;
            }
          }
        }
        if (files == 0 || !Files.exists(directory.resolve(set.ratingsFile()))) {
          throw new IOException("the zip holds no " + prefix + set.ratingsFile());
        }
        String marker = "name=" + set.cliName() + "\nsource=" + source + "\nmd5=" + md5 + "\nfetched=" + Instant.now()
            + "\n";
        AtomicDirectory.writeSynced(directory.resolve(MARKER_FILE), marker.getBytes(StandardCharsets.UTF_8));
      });
    } catch (IOException e) {
      throw new FetchException("could not unpack " + zip + " into " + folder + ": " + Downloader.describe(e)
          + "; nothing was left there", e);
    }
  }

  private static String md5(Path file) throws FetchException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new FetchException(file + " could not be read: " + Downloader.describe(e), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void removeIfEmpty(Path dir) {
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException e) {
      // an empty directory left behind is harmless
    }
  }
}
