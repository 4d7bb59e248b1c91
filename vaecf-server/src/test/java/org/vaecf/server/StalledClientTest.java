package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
  @TempDir Path dir;

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
            ServerConfig.builder(bundle).port(0).idleTimeout(Duration.ofMillis(800)).build());
    List<Socket> stalled = new ArrayList<>();
    try {
      // more stalled clients than the HTTP thread pool would have threads if each held one
      for (int i = 0; i < 300; i++) {
        stalled.add(stalledRequest(server.port()));
      }
      ServingFixtures.Client client = new ServingFixtures.Client(server);
      long started = System.nanoTime();
      ServingFixtures.Client.Answer answer =
          client.post("/v1/recommendations", "{\"items\":[\"" + ServingFixtures.model(1).items().rawId(0)
              + "\"],\"k\":3}");
      assertThat(answer.status()).isEqualTo(200);
      assertThat((System.nanoTime() - started) / 1e6).as("ms for a request while 300 clients stall").isLessThan(700);

      // after the idle timeout each stalled connection is closed by the server (or answered with an error)
      Socket first = stalled.get(0);
      first.setSoTimeout(5_000);
      InputStream in = first.getInputStream();
      byte[] buffer = new byte[4096];
      long waitStarted = System.nanoTime();
      int read;
      try {
        while ((read = in.read(buffer)) >= 0) {
          if (read == 0) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the stalled connection was not closed within 5 s", e);
      } catch (IOException reset) {
        // a reset also ends the connection
      }
      double waited = (System.nanoTime() - waitStarted) / 1e9;
      assertThat(waited).isLessThan(4.0);
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
      server.close();
    }
  }
}
