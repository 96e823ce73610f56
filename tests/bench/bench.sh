#!/usr/bin/env bash
# Benchmark irlint on generated chains (1k..1M layers) and the largest corpus models.
# Usage: tests/bench/bench.sh [BUILD_DIR]   (default: build); prints a Markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --build "$build" --target irlint irlint_bench -j2 >/dev/null
models=()
for n in 1000 10000 100000 1000000; do
  python3 "$root/tests/irgen/irgen.py" chain --layers "$n" --no-bin -o "$work/chain$n.xml" 2>/dev/null
  models+=("$work/chain$n.xml")
done
corpus="$root/../shared/corpus"
# Written-back pages of the fresh files (the 1M chain is 503 MB) would otherwise be flushed to
# disk while the first models are timed.
sync
for m in tinyllama-1.1b-int4-v11/openvino_model.xml t5-decoder-with-past-int8-v11/openvino_model.xml \
         mnv3-large-tsm-int8-v11/model_int8.xml; do
  [ -f "$corpus/$m" ] && models+=("$corpus/$m")
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
"$build/tests/bench/irlint_bench" "$build/cli/irlint" "${models[@]}"
