/**
 * The training report: charts of a model's history (XChart, rendered to PNG) and one self-contained HTML page with
 * them, the test metrics, the data statistics and the configuration, for one model or several side by side. Depends
 * on {@code vaecf-core} and XChart; no network, no scripts in the page.
 */
package org.vaecf.report;
