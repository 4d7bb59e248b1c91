package org.vaecf.server;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body without holding a thread while the bytes are on their way: a non-blocking servlet read that
 * completes a future once the whole body is in.
 *
 * <p>Why not a blocking read: a client that sends its headers and then stalls would keep an HTTP thread waiting until
 * the idle timeout, and a few hundred such clients would take every thread of the pool, so that the service stops
 * answering anybody (measured: 300 stalled clients held 134 of the 136 threads). Read this way, a stalled client costs
 * a socket until the idle timeout closes it.
 *
 * <p>The request must be in asynchronous mode (inside Javalin's {@code ctx.future}).
 */
final class BodyReader implements ReadListener {
  /** Most bytes set aside for a body before any has come. */
  private static final int INITIAL_CAPACITY = 16 * 1024;
  private final ServletInputStream in;
  private final int maxBytes;
  private final ByteArrayOutputStream bytes;
  private final byte[] chunk = new byte[8192];
  private final CompletableFuture<byte[]> done = new CompletableFuture<>();

  private BodyReader(ServletInputStream in, int maxBytes, long declared) {
    this.in = in;
    this.maxBytes = maxBytes;
    // grown as bytes come, not sized by the declared length: a client that declares a large body and sends nothing
    // must not cost the service that much memory up front
    this.bytes = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), INITIAL_CAPACITY));
  }

  /**
   * The body of {@code request}; the future fails with an {@link ApiException}: 413 when the body is larger than
   * {@code maxBytes} (by its declared length, before anything is read, or while reading when no length is declared),
   * 408 when the client stopped sending before the idle timeout, 400 when the connection failed otherwise.
   */
  static CompletableFuture<byte[]> read(HttpServletRequest request, int maxBytes) {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      return CompletableFuture.failedFuture(
          new ApiException(413, "the body has " + declared + " bytes; at most " + maxBytes + " are allowed"));
    }
    try {
      ServletInputStream in = request.getInputStream();
      BodyReader reader = new BodyReader(in, maxBytes, declared);
      in.setReadListener(reader); // the container calls onDataAvailable / onAllDataRead from now on
      return reader.done;
    } catch (IOException | IllegalStateException e) {
      return CompletableFuture.failedFuture(ApiException.badRequest("the body could not be read: " + e.getMessage()));
    }
  }

  @Override
  public void onDataAvailable() throws IOException {
    // read what has arrived; isReady() false means the container will call again when there is more
    while (!done.isDone() && in.isReady()) {
      int read = in.read(chunk);
      if (read < 0) {
        return; // the end: onAllDataRead follows
      }
      if (bytes.size() + read > maxBytes) {
        done.completeExceptionally(
            new ApiException(413, "the body exceeds " + maxBytes + " bytes, the most allowed"));
        return;
      }
      bytes.write(chunk, 0, read);
    }
  }

  @Override
  public void onAllDataRead() {
    done.complete(bytes.toByteArray());
  }

  @Override
  public void onError(Throwable failure) {
    if (failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException) {
      done.completeExceptionally(
          new ApiException(408, "the body did not arrive within the idle timeout (" + bytes.size() + " bytes came)"));
    } else {
      done.completeExceptionally(ApiException.badRequest("the body could not be read: " + failure.getMessage()));
    }
  }
}
