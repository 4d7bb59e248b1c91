#!/usr/bin/env python3
"""Writes metric_fixtures.json beside this script: ranking metrics computed with NumPy, independently of the Java code.

NDCG@k and Recall@k follow NDCG_binary_at_k_batch and Recall_at_k_batch of the authors' notebook
VAE_ML20M_WWW2018.ipynb (Liang et al., WWW 2018), rewritten here on dense NumPy arrays (no SciPy / Bottleneck):
fold-in items get -inf, the top k come from argpartition and are then ordered with argsort, exactly as the notebook
does. np.argpartition(a, k) leaves the k smallest entries of a in its first k positions, as bn.argpartition(a, k)
does in the notebook.

Precision, hit rate, reciprocal rank, AP and catalogue coverage are not in the notebook; they are computed here from
a full argsort using the definitions in the Javadoc of org.vaecf.eval, as a second, independent implementation.

Scores are continuous float32 draws (no ties within a row, checked) so that the ranking is unique. Every user has at
least one held-out item; fold-in and held-out items are disjoint; at most 40 fold-in items out of 300 keep every
top-100 list free of -inf items. Held-out sizes are log-uniform in [1, 150], so |relevant| < k, = k and > k all occur.

Run:  python3 make_metric_fixtures.py   (needs only NumPy; the output is deterministic for a given NumPy version)
"""
import json
import os

import numpy as np

SEED = 20180423
USERS = 50
ITEMS = 300
KS = (5, 20, 100)
MAX_FOLD_IN = 40
MAX_HELD_OUT = 150


def ndcg_binary_at_k_batch(x_pred, heldout_batch, k):
    """The notebook's NDCG_binary_at_k_batch, with a dense 0/1 held-out matrix."""
    batch_users = x_pred.shape[0]
    idx_topk_part = np.argpartition(-x_pred, k, axis=1)
    topk_part = x_pred[np.arange(batch_users)[:, np.newaxis], idx_topk_part[:, :k]]
    idx_part = np.argsort(-topk_part, axis=1)
    idx_topk = idx_topk_part[np.arange(batch_users)[:, np.newaxis], idx_part]
    tp = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (heldout_batch[np.arange(batch_users)[:, np.newaxis], idx_topk] * tp).sum(axis=1)
    idcg = np.array([(tp[:min(n, k)]).sum() for n in np.count_nonzero(heldout_batch, axis=1)])
    return dcg / idcg


def recall_at_k_batch(x_pred, heldout_batch, k):
    """The notebook's Recall_at_k_batch, with a dense 0/1 held-out matrix."""
    batch_users = x_pred.shape[0]
    idx = np.argpartition(-x_pred, k, axis=1)
    x_pred_binary = np.zeros_like(x_pred, dtype=bool)
    x_pred_binary[np.arange(batch_users)[:, np.newaxis], idx[:, :k]] = True
    x_true_binary = heldout_batch > 0
    tmp = (np.logical_and(x_true_binary, x_pred_binary).sum(axis=1)).astype(np.float32)
    return tmp / np.minimum(k, x_true_binary.sum(axis=1))


def other_metrics(x_pred, heldout, k):
    """Precision, hit rate, reciprocal rank and AP at k per user, and coverage at k, from a full sort."""
    order = np.argsort(-x_pred, axis=1, kind="stable")[:, :k]
    hits = np.take_along_axis(heldout, order, axis=1).astype(bool)
    n_relevant = heldout.sum(axis=1)
    ranks = np.arange(1, k + 1)
    precision = hits.sum(axis=1) / k
    hitrate = hits.any(axis=1).astype(float)
    first = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
    mrr = np.where(first > 0, 1.0 / np.maximum(first, 1), 0.0)
    precision_at_r = np.cumsum(hits, axis=1) / ranks
    ap = (precision_at_r * hits).sum(axis=1) / np.minimum(k, n_relevant)
    coverage = len(np.unique(order)) / x_pred.shape[1]
    return precision, hitrate, mrr, ap, coverage


def float32_text(x):
    """The shortest decimal that reads back as the same float32."""
    return float(np.format_float_positional(np.float32(x), unique=True))


def main():
    rng = np.random.default_rng(SEED)
    fold_in, held_out = [], []
    for _ in range(USERS):
        perm = rng.permutation(ITEMS)
        n_fold = int(rng.integers(0, MAX_FOLD_IN + 1))
        n_held = int(np.exp(rng.uniform(0.0, np.log(MAX_HELD_OUT + 1))))
        n_held = min(max(n_held, 1), MAX_HELD_OUT)
        fold_in.append(np.sort(perm[:n_fold]))
        held_out.append(np.sort(perm[n_fold:n_fold + n_held]))

    heldout_dense = np.zeros((USERS, ITEMS), dtype=np.float32)
    for u, items in enumerate(held_out):
        heldout_dense[u, items] = 1.0
    # a mild signal towards the held-out items, so that hits are common and every metric takes varied values
    scores = rng.standard_normal((USERS, ITEMS)).astype(np.float32) + np.float32(0.8) * heldout_dense
    for row in scores:
        assert len(np.unique(row)) == ITEMS, "tied scores in a row"

    x_pred = scores.copy()
    for u, items in enumerate(fold_in):
        x_pred[u, items] = -np.inf

    metrics = {}
    for k in KS:
        metrics["ndcg@%d" % k] = [float(v) for v in ndcg_binary_at_k_batch(x_pred, heldout_dense, k)]
        metrics["recall@%d" % k] = [float(v) for v in recall_at_k_batch(x_pred, heldout_dense, k)]
        precision, hitrate, mrr, ap, coverage = other_metrics(x_pred, heldout_dense, k)
        assert np.isfinite(np.sort(x_pred, axis=1)[:, -k:]).all(), "a fold-in item reached the top k"
        metrics["precision@%d" % k] = [float(v) for v in precision]
        metrics["hitrate@%d" % k] = [float(v) for v in hitrate]
        metrics["mrr@%d" % k] = [float(v) for v in mrr]
        metrics["map@%d" % k] = [float(v) for v in ap]
        metrics["coverage@%d" % k] = float(coverage)

    # mean and standard error as the notebook prints them: np.mean(x), np.std(x) / np.sqrt(len(x)) (ddof = 0)
    summary = {
        name: {"mean": float(np.mean(v)), "stderr": float(np.std(v) / np.sqrt(len(v)))}
        for name, v in metrics.items() if isinstance(v, list)
    }

    fixture = {
        "generator": "make_metric_fixtures.py",
        "numpy": np.__version__,
        "seed": SEED,
        "users": USERS,
        "items": ITEMS,
        "ks": list(KS),
        "fold_in": [[int(i) for i in items] for items in fold_in],
        "held_out": [[int(i) for i in items] for items in held_out],
        "scores": [[float32_text(s) for s in row] for row in scores],
        "metrics": metrics,
        "summary": summary,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metric_fixtures.json")
    with open(path, "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main()
