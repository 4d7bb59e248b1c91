#!/usr/bin/env bash
# Nothing lost, part 1: kill `./vaecf train` with SIGKILL at random moments, resume each time with --resume, and
# compare the final weights.bin with an uninterrupted run. They must be identical after every kill.
# Usage: scripts/kill-resume.sh [KILLS (default 20)] [SEED (default 1)]   — runs on a small synthetic data set.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kills="${1:-20}"
seed="${2:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"


# a small data set: the demo generator's log, prepared as the paper does
./vaecf demo --work "$work/demo" --epochs 1 >/dev/null 2>&1
args=(--data "$work/demo/data" --epochs 12 --hidden 64 --latent 16 --batch-size 200 --seed 5 --threads 2)
start=$(date +%s%N)
./vaecf train "${args[@]}" --out "$work/reference" >/dev/null 2>&1
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
want=$(sha256sum < "$work/reference/weights.bin")

RANDOM=$seed
identical=0
for k in $(seq "$kills"); do
  rm -rf "$work/run" "$work/.run.previous"
  # one uninterrupted attempt is killed somewhere between JVM start and the end of training …
  ./vaecf train "${args[@]}" --out "$work/run" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r=$RANDOM -v f="$full_ms" 'BEGIN { printf "%.3f", (0.05 + 0.9 * r / 32767) * f / 1000 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # … and resumed (a second kill in the resumed run makes the chain longer on odd trials)
  if (( k % 2 == 1 )); then
    ./vaecf train "${args[@]}" --out "$work/run" --resume >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v r=$RANDOM -v f="$full_ms" 'BEGIN { printf "%.3f", (0.05 + 0.5 * r / 32767) * f / 1000 }')"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if ! ./vaecf train "${args[@]}" --out "$work/run" --resume >/dev/null 2>"$work/err"; then
    echo "kill $k: resume failed: $(grep -v WARNING "$work/err" | grep -v "^\[main\]" | head -12)"
    find "$work" -path "$work/demo" -prune -o -path "$work/reference" -prune -o -print | sed "s|$work/||" | sort | head -20
    continue
  fi
  got=$(sha256sum < "$work/run/weights.bin")
  if [ "$got" = "$want" ]; then identical=$((identical + 1)); else echo "kill $k: weights differ"; fi
done
echo "kill-resume: $identical/$kills resumed runs identical to the uninterrupted one"
[ "$identical" = "$kills" ]
