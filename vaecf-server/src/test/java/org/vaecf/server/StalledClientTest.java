package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stalled and slow clients: they time out, and while they hang the service keeps answering everyone else. */
class StalledClientTest {
  private static final long IDLE_MS = 2_000;

  @TempDir Path dir;

  /** True when the server has neither closed nor answered {@code socket} (a read finds nothing within 1 ms). */
  private static boolean stillOpen(Socket socket) throws IOException {
    socket.setSoTimeout(1);
    try {
      socket.getInputStream().read(); // returned: the server answered or closed it
      return false;
    } catch (SocketTimeoutException nothingYet) {
      return true;
    } catch (IOException reset) {
      return false;
    }
  }

  private static Socket stalledRequest(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    // headers promise a body of 100 bytes; one byte comes, then nothing
    out.write(("POST /v1/recommendations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void stalledClientsAreCutOffAndDoNotHoldUpOthers() throws Exception {
    Path bundle = ServingFixtures.bundle(dir.resolve("model"), 1);
    RecommendationServer server =
        RecommendationServer.start(
            ServerConfig.builder(bundle).port(0).idleTimeout(Duration.ofMillis(IDLE_MS)).build());
    List<Socket> stalled = new ArrayList<>();
    try {
      ServingFixtures.Client client = new ServingFixtures.Client(server);
      String request = "{\"items\":[\"" + ServingFixtures.model(1).items().rawId(0) + "\"],\"k\":3}";
      assertThat(client.post("/v1/recommendations", request).status()).isEqualTo(200); // warm: not timed
      // more stalled clients than the HTTP thread pool would have threads if each held one
      for (int i = 0; i < 300; i++) {
        stalled.add(stalledRequest(server.port()));
      }
      long started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(client.post("/v1/recommendations", request).status()).isEqualTo(200);
      }
      // Answered while the stalled clients still hold their connections: it did not wait for them to be cut off.
      // (A time bound alone would race the idle timeout on a loaded machine.)
      assertThat((System.nanoTime() - started) / 1e6).as("ms for five requests while 300 clients stall")
          .isLessThan(IDLE_MS);
      assertThat(stillOpen(stalled.get(stalled.size() - 1))).as("the last stalled connection, after the answer")
          .isTrue();

      // after the idle timeout the server answers each stalled request with 408 and closes the connection
      Socket first = stalled.get(0);
      first.setSoTimeout((int) IDLE_MS + 5_000);
      long waitStarted = System.nanoTime();
      String answered;
      try {
        answered = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the stalled connection was not closed within " + (IDLE_MS + 5_000) + " ms", e);
      }
      double waited = (System.nanoTime() - waitStarted) / 1e9;
      assertThat(waited).isLessThan(IDLE_MS / 1000.0 + 3.0);
      assertThat(answered).startsWith("HTTP/1.1 408 ")
          .contains("\"error\":\"the body did not arrive within the idle timeout (1 bytes came)\"");
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
      server.close();
    }
  }
}
