#!/bin/sh
# Stand-in for OpenVINO's benchmark_app, used to test `irlint confirm --openvino` where no
# OpenVINO is installed. It checks the arguments irlint passes and writes a recorded real output:
# the squeezenet1.1 counters of /work/shared/observed (smart-video-workshop, 2020, AVX2) turned
# into benchmark_app's detailed counters CSV (benchmark_detailed_counters_report.csv).
model="" exec_graph="" report_type="" folder="" niter=""
while [ $# -gt 0 ]; do
  case "$1" in
    -m) model="$2"; shift 2 ;;
    -exec_graph_path) exec_graph="$2"; shift 2 ;;
    -report_type) report_type="$2"; shift 2 ;;
    -report_folder) folder="$2"; shift 2 ;;
    -niter) niter="$2"; shift 2 ;;
    *) echo "fake benchmark_app: unexpected argument '$1'" >&2; exit 3 ;;
  esac
done
[ -f "$model" ] || { echo "fake benchmark_app: no model '$model'" >&2; exit 3; }
[ "$report_type" = detailed_counters ] || { echo "fake benchmark_app: -report_type $report_type" >&2; exit 3; }
[ -n "$exec_graph" ] && [ -d "$folder" ] && [ -n "$niter" ] || { echo "fake benchmark_app: missing arguments" >&2; exit 3; }
echo "[Step 11/11] Dumping statistics report"
cp "$(dirname "$0")/squeezenet1.1_detailed_counters_report.csv" "$folder/benchmark_detailed_counters_report.csv"
