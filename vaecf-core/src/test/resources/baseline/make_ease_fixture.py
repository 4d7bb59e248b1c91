"""Independent EASE (Steck, WWW 2019) in NumPy float64, for EaseTest.

Run from this directory: python3 make_ease_fixture.py > ease_fixture.json
The click matrix is drawn here and written into the fixture, so the Java test rebuilds exactly the same matrix.
"""
import json
import numpy as np

rng = np.random.RandomState(7)
users, items = 40, 12
# popularity-skewed clicks so that the co-occurrence matrix has structure
p = np.linspace(0.6, 0.05, items)
X = (rng.rand(users, items) < p).astype(np.float64)
lam = 5.0

G = X.T @ X
G[np.diag_indices(items)] += lam
P = np.linalg.inv(G)
B = P / (-np.diag(P))
B[np.diag_indices(items)] = 0.0

fold_in = X[:3]
scores = fold_in @ B

print(json.dumps({
    "lambda": lam,
    "rows": [[int(j) for j in np.flatnonzero(row)] for row in X],
    "items": items,
    "B": B.round(12).tolist(),
    "scoresOfFirstThreeUsers": scores.round(12).tolist(),
}, indent=1))
