#!/usr/bin/env python3
"""Re-enacts the preprocessing of the Mult-VAE reference notebook (dawenl/vae_cf, VAE_ML20M_WWW2018.ipynb) with
plain Python and NumPy's legacy global RNG, to give StrongGeneralizationSplitterTest independent expected values.

pandas is not needed: its steps are spelled out here --
  * raw_data[raw_data.rating > 3.5], then keep users with >= 5 rows (filter_triplets, min_sc = 0);
  * groupby('userId') visits users sorted by (integer) id;
  * np.random.seed(98765); permutation of the users; last N test, N before validation, the rest training;
  * pd.unique(train_plays.movieId): items in first-appearance order of the filtered file;
  * validation/test rows restricted to training items; split_train_test_proportion reseeds, walks users in sorted
    order and each user's rows in file order, choice(n, int(0.2 n), replace=False) for n >= 5.

Usage: notebook_split.py FILE FORMAT HELDOUT_USERS   (FORMAT: movielens-100k | movielens-csv)
Prints one JSON object: counts per part and, per part, the SHA-256 of its sorted "user<TAB>item" lines (raw ids),
so the Java split can be compared pair by pair, not only by counts.
"""
import hashlib
import json
import sys

import numpy as np

SEED = 98765


def load(path, fmt):
    rows = []
    with open(path, encoding="utf-8") as f:
        if fmt == "movielens-csv":
            assert f.readline().strip() == "userId,movieId,rating,timestamp"
        sep = "\t" if fmt == "movielens-100k" else ","
        for line in f:
            if not line.strip():
                continue
            user, item, rating, _ = line.rstrip("\r\n").split(sep)
            rows.append((int(user), int(item), float(rating)))
    return rows


def split_train_test_proportion(rows, test_prop=0.2):
    groups = {}
    for r in rows:
        groups.setdefault(r[0], []).append(r)
    np.random.seed(SEED)
    fold_in, held_out = [], []
    for user in sorted(groups):
        group = groups[user]
        n = len(group)
        if n >= 5:
            mask = np.zeros(n, dtype="bool")
            mask[np.random.choice(n, size=int(test_prop * n), replace=False).astype("int64")] = True
            fold_in += [g for g, m in zip(group, mask) if not m]
            held_out += [g for g, m in zip(group, mask) if m]
        else:
            fold_in += group
    return fold_in, held_out


def fingerprint(rows):
    lines = sorted("%d\t%d" % (r[0], r[1]) for r in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def main(path, fmt, n_heldout):
    raw = [r for r in load(path, fmt) if r[2] > 3.5]
    counts = {}
    for r in raw:
        counts[r[0]] = counts.get(r[0], 0) + 1
    raw = [r for r in raw if counts[r[0]] >= 5]

    unique_uid = np.array(sorted({r[0] for r in raw}))
    np.random.seed(SEED)
    unique_uid = unique_uid[np.random.permutation(unique_uid.size)]
    n_users = unique_uid.size
    tr_users = set(unique_uid[: n_users - 2 * n_heldout].tolist())
    vd_users = set(unique_uid[n_users - 2 * n_heldout : n_users - n_heldout].tolist())
    te_users = set(unique_uid[n_users - n_heldout :].tolist())

    train = [r for r in raw if r[0] in tr_users]
    unique_sid = list(dict.fromkeys(r[1] for r in train))
    items = set(unique_sid)
    vad_all = [r for r in raw if r[0] in vd_users]
    test_all = [r for r in raw if r[0] in te_users]
    vad = [r for r in vad_all if r[1] in items]
    test = [r for r in test_all if r[1] in items]
    vad_tr, vad_te = split_train_test_proportion(vad)
    test_tr, test_te = split_train_test_proportion(test)

    print(json.dumps({
        "usersAfterFilter": int(n_users),
        "interactionsAfterFilter": len(raw),
        "trainUsers": len(tr_users),
        "items": len(unique_sid),
        "trainInteractions": len(train),
        "validationUsers": len({r[0] for r in vad}),
        "testUsers": len({r[0] for r in test}),
        "validationFoldInInteractions": len(vad_tr),
        "validationHeldOutInteractions": len(vad_te),
        "testFoldInInteractions": len(test_tr),
        "testHeldOutInteractions": len(test_te),
        "unseenItemInteractions": len(vad_all) - len(vad) + len(test_all) - len(test),
        "droppedEvaluationUsers": 2 * n_heldout - len({r[0] for r in vad}) - len({r[0] for r in test}),
        "firstTrainUsers": [int(u) for u in unique_uid[:5]],
        "firstItems": unique_sid[:5],
        "sha256": {
            "train": fingerprint(train),
            "validationFoldIn": fingerprint(vad_tr),
            "validationHeldOut": fingerprint(vad_te),
            "testFoldIn": fingerprint(test_tr),
            "testHeldOut": fingerprint(test_te),
        },
    }, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
