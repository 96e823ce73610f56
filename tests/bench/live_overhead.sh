#!/usr/bin/env bash
# Executor overhead of the live run: per model, the end-to-end time of a whole-plan iteration
# minus the sum of the primitive times inside it (median over iterations, in %), next to the
# measured and predicted INT8/FP32 time ratios. Not a unit test: timings depend on the machine.
# Usage: tests/bench/live_overhead.sh [BUILD_DIR] [ITERATIONS] [MODEL.xml ...]
#   default BUILD_DIR build, ITERATIONS 20, models: the sample model and two corpus CNNs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
iterations="${2:-20}"
shift $(($# > 2 ? 2 : $#))
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  corpus="$root/../shared/corpus"
  models=("$root/testdata/models/mnv3-small-int8-decomposed.xml"
          "$corpus/mnv2-tf-int8-v11/mobilenet_v2_int8.xml"
          "$corpus/road-seg-adas-0001-v10/road-segmentation-adas-0001.xml")
fi
irlint="$build/cli/irlint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -x "$irlint" ] || { echo "no $irlint (build it first)" >&2; exit 2; }
echo "CPU: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed "s/^ //"), $(nproc --all) cores, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}," \
     "$iterations iterations"
echo "| model | plan | primitives | end-to-end ms | Σ primitives ms | overhead % | counterpart ms | counterpart overhead % | INT8/FP32 measured | INT8/FP32 predicted |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in "${models[@]}"; do
  if [ ! -f "$m" ]; then echo "| $(basename "$m") | missing | | | | | | | | |"; continue; fi
  "$irlint" confirm "$m" --live --iterations "$iterations" --format json >"$work/run.json" \
    2>/dev/null || { echo "| $(basename "$m") | failed | | | | | | | | |"; continue; }
  python3 - "$m" "$work/run.json" <<'PY'
import json, os, sys
j = json.load(open(sys.argv[2]))
w, c, r = j["whole"], j["counterpart"], j["int8_vs_fp32"]
print(f"| {os.path.basename(sys.argv[1])} | {w['label']} | {w['primitives']} | {w['median_ms']:.3f} "
      f"| {w['primitive_ms']:.3f} | {w['overhead_pct']:.2f} | {c['median_ms']:.3f} "
      f"| {c['overhead_pct']:.2f} | {r['measured_ratio']:.3f} | {r['predicted_ratio']:.3f} |")
PY
done
