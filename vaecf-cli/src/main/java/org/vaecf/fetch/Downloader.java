package org.vaecf.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP downloads that resume: the bytes go to a partial file as they arrive, and a later call with the same partial
 * file asks only for the rest ({@code Range: bytes=N-}). A server that ignores the range (status 200) is answered by
 * starting over. A partial file that already holds the whole length draws "416 Range Not Satisfiable" with
 * {@code Content-Range: bytes *}{@code /N}; when {@code N} is the file's size it is complete and is returned as it is
 * (the caller's checksum judges its bytes), otherwise it is deleted and the download starts over. A transfer that
 * stops before the announced length fails with a {@link FetchException} and keeps the partial file for the next
 * attempt.
 */
public final class Downloader {
  // at most 18 digits: every such number fits a long, so a server's absurd length is a mismatch, not a crash
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
  /** The {@code Content-Range} of a 416 answer: the whole length only. */
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d{1,18})");

  private final HttpClient client;

  /** A downloader following redirects, with a 30-second connection timeout. */
  public Downloader() {
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /**
   * A small text file (a checksum), whole.
   *
   * @throws FetchException naming the address and the HTTP status or network error
   */
  public String text(URI uri) throws FetchException {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new FetchException("could not reach " + uri + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted while fetching " + uri, e);
    }
    checkStatus(uri, response.statusCode());
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * Downloads {@code uri} into {@code part}, continuing from the bytes already there.
   *
   * @return the file's total size in bytes
   * @throws FetchException for an HTTP error (nothing is written), or a transfer cut short (the partial file stays)
   */
  public long download(URI uri, Path part, DownloadProgress progress) throws FetchException {
    long have = sizeOf(part);
    HttpRequest.Builder request = request(uri);
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new FetchException("could not reach " + uri + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted while fetching " + uri, e);
    }
    int status = response.statusCode();
    if (status == 416 && have > 0) {
      close(response);
      if (wholeLength(response) == have) {
        // A run stopped after the last byte (during the checksum or the unpacking, say) left the whole file:
        // downloading it again would only repeat those bytes. No bytes move, so there is no progress to show.
        progress.finish();
        return have;
      }
      // longer than the whole, or a server that does not say: the partial file cannot be trusted, so start again
      deleteQuietly(part);
      return download(uri, part, progress);
    }
    if (status != 200 && status != 206) {
      close(response);
    }
    checkStatus(uri, status);
    long total;
    boolean append;
    if (status == 206) {
      Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
      if (!range.matches() || Long.parseLong(range.group(1)) != have) {
        close(response);
        throw new FetchException(uri + " answered the resume request with an unexpected range; delete " + part
            + " and try again");
      }
      total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
      append = true;
    } else {
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      total = length;
      append = false;
      have = 0;
    }
    long done = have;
    try (InputStream in = response.body();
        OutputStream out =
            Files.newOutputStream(
                part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[1 << 16];
      int read;
      progress.update(done, total);
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        done += read;
        progress.update(done, total);
      }
    } catch (IOException e) {
      throw cutShort(uri, part, done, total, e);
    } finally {
      progress.finish();
    }
    if (total >= 0 && done != total) {
      throw cutShort(uri, part, done, total, null);
    }
    return done;
  }

  /** The whole length a 416 answer announces ({@code Content-Range: bytes *}{@code /N}), or -1. */
  private static long wholeLength(HttpResponse<InputStream> response) {
    Matcher range = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
    return range.matches() ? Long.parseLong(range.group(1)) : -1;
  }

  private static FetchException cutShort(URI uri, Path part, long done, long total, IOException cause) {
    String of = total >= 0 ? " of " + total : "";
    return new FetchException(
        "the download of " + uri + " was cut short after " + done + of + " bytes"
            + (cause == null ? "" : " (" + describe(cause) + ")") + "; the partial file " + part
            + " is kept: run the same command again to resume",
        cause);
  }

  private static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("User-Agent", "vaecf");
  }

  private static void checkStatus(URI uri, int status) throws FetchException {
    if (status == 404) {
      throw new FetchException(uri + " was not found (HTTP 404)");
    }
    if (status < 200 || status >= 300) {
      throw new FetchException(uri + " answered HTTP " + status);
    }
  }

  private static long sizeOf(Path file) throws FetchException {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new FetchException(file + " could not be read: " + describe(e), e);
    }
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // nothing to keep from an error body
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // leaving a stale partial file is harmless: the next run checks it against the checksum
    }
  }

  static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
