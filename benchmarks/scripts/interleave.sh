#!/usr/bin/env bash
# Before/after BenchmarkDotNet runs, interleaved: A B A B ... so a change in the load of a shared machine falls on
# both sides alike. Each side is a benchmarks build output folder (dotnet build -c Release -o DIR); the runs are
# in-process (no per-run build of BenchmarkDotNet's boilerplate project, which would build the current sources).
#
#   benchmarks/scripts/interleave.sh OLD_DIR NEW_DIR ROUNDS OUT_DIR [BenchmarkDotNet options...]
#   e.g. interleave.sh /tmp/bench-main /tmp/bench-branch 5 /tmp/jwt-runs --filter '*Jwt*' --job short
#
# Then: benchmarks/scripts/summarize.py OUT_DIR  (medians and spread per benchmark, old against new)
set -euo pipefail
old=$1 new=$2 rounds=$3 out=$4
shift 4
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  for side in old new; do
    dir=$old
    [ "$side" = new ] && dir=$new
    artifacts="$out/$side-$round"
    echo "$(date -u +%T) round $round: $side ($dir)"
    dotnet "$dir/RxInfer.Benchmarks.dll" "$@" --inProcess --exporters json --artifacts "$artifacts" > "$artifacts.log" 2>&1 \
      || { echo "run failed, see $artifacts.log"; exit 1; }
  done
done
