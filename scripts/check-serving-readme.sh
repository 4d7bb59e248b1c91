#!/usr/bin/env bash
# Runs the serving example of README.md exactly as written (in a scratch directory next to the project, so that
# ../shared/data resolves as it does from the project root) and fails on the first command that fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "$root/../readme-check.XXXXXX")"
trap 'kill %1 2>/dev/null || true; rm -rf "$work"' EXIT
printf '#!/bin/sh\nexec "%s/vaecf" "$@"\n' "$root" > "$work/vaecf" && chmod +x "$work/vaecf"
block="$(sed -n '/<!-- serving-example:start -->/,/<!-- serving-example:end -->/p' "$root/README.md" | sed '1,2d;$d' | sed '$d')"
cd "$work"
echo "$block" > example.sh
bash -euo pipefail -c "set -m; source example.sh"
echo "README serving example: every command succeeded"
