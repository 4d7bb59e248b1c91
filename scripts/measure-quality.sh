#!/usr/bin/env bash
# Reproduces the README's table of measured results: the paper's protocol (notebook split, NumPy legacy RNG) on the
# real data sets in ../shared/data, Mult-VAE and Mult-DAE with default settings, test metrics and training time.
# Usage: scripts/measure-quality.sh [OUTDIR]   (default: a temporary directory; needs ../shared/data)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/../shared/data"
[ -d "$data" ] || { echo "needs $data (the shared data sets beside the project)" >&2; exit 1; }
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
cd "$root"

run() { # name input format heldout model
  local name=$1 input=$2 format=$3 heldout=$4 model=$5
  local prepared="$out/$name" bundle="$out/$name-$model"
  [ -f "$prepared/stats.json" ] || ./vaecf prepare --input "$input" --format "$format" --heldout-users "$heldout" \
    --rng numpy-legacy --out "$prepared" >/dev/null
  local start end
  start=$(date +%s.%N)
  ./vaecf train --data "$prepared" --out "$bundle" --model "$model" 2>"$bundle.log" >/dev/null
  end=$(date +%s.%N)
  ./vaecf evaluate --model "$bundle" --data "$prepared" --json > "$bundle.json"
  python3 - "$bundle.json" "$name" "$model" "$start" "$end" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); se = j["standardErrors"]
secs = float(sys.argv[5]) - float(sys.argv[4])
print(f"| {sys.argv[2]} | {sys.argv[3]} | {j['ndcg@100']:.4f} ± {se['ndcg@100']:.4f} | "
      f"{j['recall@20']:.4f} ± {se['recall@20']:.4f} | {j['recall@50']:.4f} ± {se['recall@50']:.4f} | "
      f"{j['users']} | {secs:.0f} s |")
PY
}

echo "| data set | model | NDCG@100 | Recall@20 | Recall@50 | test users | train + validation time |"
echo "|---|---|---|---|---|---|---|"
run ml-100k "$data/ml-100k/u.data" movielens-100k 100 mult-vae
run ml-100k "$data/ml-100k/u.data" movielens-100k 100 mult-dae
run ml-latest-small "$data/ml-latest-small/ratings.csv" movielens-csv 60 mult-vae
run ml-latest-small "$data/ml-latest-small/ratings.csv" movielens-csv 60 mult-dae
