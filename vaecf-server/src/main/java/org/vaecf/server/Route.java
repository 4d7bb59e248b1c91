package org.vaecf.server;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One endpoint of the service. The server registers exactly its route table, and the OpenAPI test checks the
 * document against the same table, so neither can drift from the other.
 *
 * @param method HTTP method
 * @param path path template, {@code {name}} for a path parameter
 * @param handler what answers it
 */
record Route(HandlerType method, String path, Handler handler) {}
