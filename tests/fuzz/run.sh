#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each for SECONDS
# (default 60), one after the other. Exits non-zero when a target crashes; the crashing input is
# left in build-fuzz/fuzz-work/<target>/crash-*. Seeds come from testdata/ and a few small
# models of the shared corpus, copied into the build folder (never into the source tree).
#   tests/fuzz/run.sh [SECONDS]        env: IRLINT_FUZZ_BUILD (build folder), IRLINT_CORPUS_DIR
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${IRLINT_FUZZ_BUILD:-$root/build-fuzz}"
corpus="${IRLINT_CORPUS_DIR:-$root/../shared/corpus}"
targets=(reader lint weights config)

# The archiver is binutils' (as on a machine with only .ci/setup's packages): CMake would take
# LLVM's llvm-ar where the llvm package happens to be installed (.ci/check-setup flags that).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DIRLINT_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_AR="$(command -v ar)" \
  -DCMAKE_RANLIB="$(command -v ranlib)" >/dev/null
cmake --build "$build" -j"${IRLINT_FUZZ_JOBS:-2}" $(printf -- '--target fuzz_%s ' "${targets[@]}")

work="$build/fuzz-work"
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{xml,weights,config}
# XML seeds: every small IR of testdata/ and the corpus's smallest models.
while IFS= read -r -d '' f; do
  rel="${f#"$root/testdata/"}"
  cp "$f" "$seeds/xml/${rel//\//_}"
done < <(find "$root/testdata" -name '*.xml' -size -64k -print0)
small_models=(ovms-passthrough-string-v11/passthrough ovms-dummy-v10/dummy
              postproc-tf-small-v11/postproc_model tinyllama-detokenizer-v11/openvino_detokenizer
              vehicle-attributes-0039-v4/other rm-lstm4f-stateful-v10/rm_lstm4f)
for m in "${small_models[@]}"; do
  [[ -f "$corpus/$m.xml" ]] && cp "$corpus/$m.xml" "$seeds/xml/$(dirname "$m").xml"
  # Weights seeds: the XML followed by its .bin (fuzz_weights splits them at `</net>`).
  if [[ -f "$corpus/$m.xml" && -f "$corpus/$m.bin" && $(stat -c %s "$corpus/$m.bin") -lt 65536 ]]; then
    cat "$corpus/$m.xml" "$corpus/$m.bin" >"$seeds/weights/$(dirname "$m")"
  fi
done
for xml in "$root"/testdata/reader/*.xml "$root"/testdata/rules/*/*.xml; do
  bin="${xml%.xml}.bin"
  if [[ -f "$bin" && $(stat -c %s "$bin") -lt 65536 ]]; then
    rel="${xml#"$root/testdata/"}"
    cat "$xml" "$bin" >"$seeds/weights/${rel//\//_}.bin"
  fi
done
cp "$seeds"/xml/* "$seeds/weights/" 2>/dev/null || true
# Configuration seeds: one valid file using every key, and a few broken ones.
cat >"$seeds/config/full.json" <<'JSON'
{"select": ["IRL2", "unfusable-activation"], "ignore": ["IRL202"],
 "severity": {"reorder-insertion": "error", "IRL401": "note"},
 "options": {"reorder-budget": {"max-reorders": 3, "max-share": "0.5"}},
 "suppress": [{"rule": "reorder-insertion", "layer": "stage1/*", "reason": "known"}, {"layer": "head_?"}],
 "target": "openvino-2021.4:avx512", "fail-on": "error"}
JSON
printf '%s' '{"select": "IRL2"}' >"$seeds/config/bad-select.json"
printf '%s' '{"options": {"reorder-budget": {"max-reorders": [1]}}}' >"$seeds/config/bad-option.json"
printf '%s' '{"target": "openvino-1999.1:avx2", "fail-on": 3' >"$seeds/config/truncated.json"

status=0
for t in "${targets[@]}"; do
  case "$t" in reader | lint) s=xml ;; weights) s=weights ;; config) s=config ;; esac
  dir="$work/$t"
  mkdir -p "$dir/corpus"
  echo "=== fuzz_$t for ${seconds}s"
  # -timeout: one input taking more than 10 s is a hang, reported like a crash.
  if ! (cd "$dir" && "$build/tests/fuzz/fuzz_$t" "$dir/corpus" "$seeds/$s" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>"$dir/log"); then
    echo "fuzz_$t FAILED; see $dir/log and $dir/crash-*" >&2
    tail -40 "$dir/log" >&2
    status=1
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$dir/log" || true
done
exit "$status"
