package org.vaecf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket from {@link HttpClient}; no driver, no
 * download): opens a page, collects console errors and uncaught exceptions, evaluates expressions and takes a
 * full-page screenshot. The browser is started with the flags that work offline here (no background networking).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<JsonNode>> waiters = new CopyOnWriteArrayList<>();
  private final List<String> waitedMethods = new CopyOnWriteArrayList<>();
  private String session;

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The browser executable, if one is installed. */
  static Optional<Path> executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /** Starts the browser with a fresh profile in {@code profile} and attaches to a blank page. */
  static HeadlessChromium start(Path executable, Path profile) throws Exception {
    Process process =
        new ProcessBuilder(
                executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromium.log").toFile())
            .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("chromium did not open its DevTools port; see " + profile.resolveSibling("chromium.log"));
      }
      Thread.sleep(100);
    }
    List<String> lines = Files.readAllLines(portFile);
    URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
    Listener listener = new Listener();
    WebSocket socket =
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
    HeadlessChromium browser = new HeadlessChromium(process, socket);
    listener.browser = browser;
    ObjectNode create = JSON.createObjectNode().put("url", "about:blank");
    String target = browser.call("Target.createTarget", create, false).get("targetId").asText();
    ObjectNode attach = JSON.createObjectNode().put("targetId", target).put("flatten", true);
    browser.session = browser.call("Target.attachToTarget", attach, false).get("sessionId").asText();
    for (String domain : List.of("Runtime.enable", "Log.enable", "Page.enable")) {
      browser.call(domain, JSON.createObjectNode());
    }
    return browser;
  }

  /** Loads {@code page} in a {@code width}-pixel wide viewport and waits for its load event. */
  void open(Path page, int width) throws Exception {
    ObjectNode metrics =
        JSON.createObjectNode().put("width", width).put("height", 900).put("deviceScaleFactor", 1)
            .put("mobile", false);
    call("Emulation.setDeviceMetricsOverride", metrics);
    CompletableFuture<JsonNode> loaded = waitFor("Page.loadEventFired");
    call("Page.navigate", JSON.createObjectNode().put("url", page.toUri().toString()));
    loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The value of a JavaScript expression in the page (returned by value, as JSON). */
  JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("the expression failed: " + result.get("exceptionDetails"));
    }
    return result.get("result").get("value");
  }

  /** Console errors, uncaught exceptions and error log entries seen so far, as text. */
  List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (JsonNode event : events) {
      String method = event.path("method").asText();
      JsonNode params = event.path("params");
      if (method.equals("Runtime.exceptionThrown")
          || (method.equals("Runtime.consoleAPICalled") && params.path("type").asText().equals("error"))
          || (method.equals("Log.entryAdded") && params.path("entry").path("level").asText().equals("error"))) {
        errors.add(method + ": " + params);
      }
    }
    return errors;
  }

  /** A PNG of the whole page, beyond the viewport. */
  byte[] screenshot() throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", JSON.createObjectNode()).get("cssContentSize");
    ObjectNode clip =
        JSON.createObjectNode().put("x", 0).put("y", 0).put("width", size.get("width").asDouble())
            .put("height", size.get("height").asDouble()).put("scale", 1);
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.set("clip", clip);
    return Base64.getDecoder().decode(call("Page.captureScreenshot", params).get("data").asText());
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    return call(method, params, true);
  }

  private JsonNode call(String method, ObjectNode params, boolean inPage) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    if (inPage) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    JsonNode response = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (response.has("error")) {
      throw new IllegalStateException(method + " failed: " + response.get("error"));
    }
    return response.get("result");
  }

  private CompletableFuture<JsonNode> waitFor(String method) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    waiters.add(future);
    waitedMethods.add(method);
    return future;
  }

  private void receive(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    events.add(message);
    String method = message.path("method").asText();
    for (int i = 0; i < waiters.size(); i++) {
      if (waitedMethods.get(i).equals(method)) {
        waiters.get(i).complete(message);
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.sendText("{\"id\":0,\"method\":\"Browser.close\"}", true).get(5, TimeUnit.SECONDS);
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the browser is stopped below either way
    } finally {
      process.destroyForcibly();
    }
  }

  /** Reassembles text frames into messages. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    volatile HeadlessChromium browser;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          HeadlessChromium target = browser;
          JsonNode message = JSON.readTree(text);
          if (target != null) {
            target.receive(message);
          }
        } catch (IOException e) {
          throw new IllegalStateException("DevTools sent a message that is not JSON: " + text, e);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
