#!/usr/bin/env bash
# Nothing lost, part 2: kill a process with SIGKILL at random moments while it saves model bundles over one
# directory, alternating two models; after every kill the directory must load, and hold one of the two models.
# Usage: scripts/kill-save.sh [KILLS (default 20)] [SEED (default 1)]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kills="${1:-20}"
seed="${2:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

./vaecf demo --work "$work/demo" --epochs 1 >/dev/null 2>&1
./vaecf train --data "$work/demo/data" --out "$work/a" --epochs 1 --seed 1 >/dev/null 2>&1
./vaecf train --data "$work/demo/data" --out "$work/b" --epochs 1 --seed 2 >/dev/null 2>&1
ida=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$work/a/model.json")
idb=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$work/b/model.json")
item=$(head -1 "$work/a/items.tsv" | cut -f2)

RANDOM=$seed
loaded=0
for k in $(seq "$kills"); do
  ./vaecf save-loop --a "$work/a" --b "$work/b" --out "$work/m" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", 1.0 + 2.0 * r / 32767 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ./vaecf recommend --model "$work/m" --items "$item" -k 3 >/dev/null 2>"$work/err"; then
    id=$(python3 -c "import json,sys,os; d=sys.argv[1]; p=os.path.join(d,'model.json'); p=p if os.path.exists(p) else os.path.join(os.path.dirname(d),'.m.previous','model.json'); print(json.load(open(p))['id'])" "$work/m")
    if [ "$id" = "$ida" ] || [ "$id" = "$idb" ]; then loaded=$((loaded + 1)); else echo "kill $k: unknown bundle $id"; fi
  else
    echo "kill $k: the bundle does not load: $(tail -1 "$work/err")"
  fi
done
echo "kill-save: $loaded/$kills kills left a bundle that loads (old or new)"
[ "$loaded" = "$kills" ]
