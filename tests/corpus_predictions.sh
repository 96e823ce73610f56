#!/usr/bin/env bash
# Prints the predicted Reorders / unfusable activations / depthwise fallbacks of every corpus
# model on each target, as the Markdown table in docs/predictions.md.
# Usage: tests/corpus_predictions.sh [IRLINT_BINARY] [CORPUS_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
irlint="${1:-$root/build/cli/irlint}"
corpus="${2:-$root/../shared/corpus}"
targets=(openvino-2019.3:avx2 openvino-2021.4:avx2 openvino-2022.1:avx2 openvino-2024.6:avx512_vnni
         onednn-2.6:avx512_vnni onednn-2.6:avx2)
printf '| model |'; printf ' %s |' "${targets[@]}"; printf '\n|---|'; printf -- '---|%.0s' "${targets[@]}"; echo
for dir in "$corpus"/*/; do
  model=$(ls "$dir"*.xml | head -1)
  printf '| `%s` |' "$(basename "$dir")"
  for t in "${targets[@]}"; do
    json=$("$irlint" check "$model" --target "$t" --no-config --select IRL2,IRL3,IRL4 --format json \
           --fail-on never)
    r=$(grep -c '"rule": "reorder-insertion"' <<<"$json" || true)
    u=$(grep -c '"rule": "unfusable-activation"' <<<"$json" || true)
    f=$(grep -c '"rule": "depthwise-fallback"' <<<"$json" || true)
    printf ' %s / %s / %s |' "$r" "$u" "$f"
  done
  echo
done
