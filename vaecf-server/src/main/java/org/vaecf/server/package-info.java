/**
 * The HTTP JSON service over {@code infer.Recommender}: fold-in recommendations (single and batch), similar items,
 * model metadata, health, Prometheus metrics, an OpenAPI document, and hot swap of the model bundle. Depends on
 * {@code vaecf-core} and Javalin; the CLI's {@code serve} command starts it.
 */
package org.vaecf.server;
