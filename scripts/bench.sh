#!/usr/bin/env bash
# Times `scimfacts build` and `check` on generated sites against the I/O floor, in one run so
# that the ratios hold on a noisy machine.
#
#   scripts/bench.sh [N...]        default: 1000 10000
#   BENCH_RUNS=1 scripts/bench.sh 100000     one run per step instead of the median of 3
#   BENCH_DIR=/tmp/bench ...                 keep the generated sites there
#
# The floor is what any generator must at least do: read every input file and write an output
# tree of the same size (`cat` of every file of data/, plus `cp -r site copy`). The timed build
# writes into an empty output, like the copy. Prints, per N: the median wall time, the median
# of each run's ratio to that run's floor (and, for check, to that run's build), pages per
# second and peak RSS; then how long `check` takes to refuse the alias bombs of the bad-input
# corpus; and, when Chromium is here, how the largest site's list pages behave in it (see
# scripts/browser_bench.mjs); then a build with price history from git against one without
# (scripts/history-repo.sh). Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${BENCH_RUNS:-3}
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"' EXIT

cargo build --release --quiet --example gen_site
cargo build --release --quiet
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/release/scimfacts
gen=$target_dir/release/examples/gen_site

calc() { awk "BEGIN { print $1 }"; }

median() { # numbers... → the middle one
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

median_run() { # "seconds peak_kb"... → the run with the middle time
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'
}

seconds() { # command... → wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  calc "$end - $start"
}

timed() { # command... → "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
  cat "$work/time.txt"
}

printf '%-8s %-7s %9s %9s %8s %8s %10s %9s %9s %9s\n' \
  vendors what "wall (s)" "floor (s)" "× floor" "× build" "pages/s" "RSS (MiB)" "files" "output"
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  "$gen" "$n" "$site"
  "$bin" build --quiet --root "$site"            # warm the caches; the floor copies this
  files=$(find "$site/site" -type f | wc -l)
  pages=$(find "$site/site" -type f \( -name '*.html' -o -name '*.json' -o -name '*.xml' -o -name '*.csv' -o -name '*.txt' \) | wc -l)
  size=$(du -sh "$site/site" | cut -f1)
  floors=() builds=() checks=() build_ratios=() check_ratios=()
  for _ in $(seq "$runs"); do
    # Dirty pages are flushed before each timed step, so that none pays for another's writes.
    sync
    read_floor=$(seconds sh -c "find '$site/data' -type f -exec cat {} + >/dev/null")
    rm -rf "$work/copy"
    sync
    copy_floor=$(seconds cp -r "$site/site" "$work/copy")
    rm -rf "$work/copy"
    floors+=("$(calc "$read_floor + $copy_floor")")
    # A full build into an empty output, as in CI: the floor's copy writes a new tree too.
    rm -rf "$site/site"
    sync
    builds+=("$(timed "$bin" build --quiet --root "$site")")
    checks+=("$(timed "$bin" check --root "$site")")
    # Each run's ratios are taken within the run, where floor, build and check met the same
    # disk; the table shows the median of those ratios, which the noise moves least.
    build_ratios+=("$(calc "${builds[-1]%% *} / ${floors[-1]}")")
    check_ratios+=("$(calc "${checks[-1]%% *} / ${builds[-1]%% *}")")
  done
  floor=$(median "${floors[@]}")
  read -r build_s build_kb <<<"$(median_run "${builds[@]}")"
  read -r check_s check_kb <<<"$(median_run "${checks[@]}")"
  # Every run's figures, for the record of how much the machine varied.
  printf '%s runs (s): floor %s; build %s; check %s\n' "$n" "${floors[*]}" \
    "$(printf '%s\n' "${builds[@]}" | cut -d' ' -f1 | paste -sd' ')" \
    "$(printf '%s\n' "${checks[@]}" | cut -d' ' -f1 | paste -sd' ')" >&2
  build_ratio=$(median "${build_ratios[@]}")
  check_ratio=$(median "${check_ratios[@]}")
  printf '%-8s %-7s %9.2f %9.2f %8.2f %8s %10.0f %9.0f %9s %9s\n' \
    "$n" build "$build_s" "$floor" "$build_ratio" "" \
    "$(calc "$pages / $build_s")" "$(calc "$build_kb / 1024")" "$files" "$size"
  printf '%-8s %-7s %9.2f %9.2f %8.2f %8.2f %10.0f %9.0f %9s %9s\n' \
    "$n" check "$check_s" "$floor" "$(median "$(calc "$check_s / $floor")")" "$check_ratio" \
    "$(calc "$pages / $check_s")" "$(calc "$check_kb / 1024")" "$files" "$size"
done
# The shipped site (the curated records and the imported catalogues) as a newcomer builds it.
shipped=$(find data/vendors -name '*.yaml' | wc -l)
shipped_builds=() shipped_checks=()
for _ in $(seq "$runs"); do
  rm -rf "$work/shipped"
  sync
  shipped_builds+=("$(timed "$bin" build --quiet --root . --output "$work/shipped")")
  shipped_checks+=("$(timed "$bin" check --root .)")
done
read -r sb_s sb_kb <<<"$(median_run "${shipped_builds[@]}")"
read -r sc_s sc_kb <<<"$(median_run "${shipped_checks[@]}")"
printf '\n%-20s %9s %9s\n' "shipped site" "wall (s)" "RSS (MiB)"
printf '%-20s %9.2f %9.0f\n' "build, $shipped vendors" "$sb_s" "$(calc "$sb_kb / 1024")"
printf '%-20s %9.2f %9.0f\n' "check, $shipped vendors" "$sc_s" "$(calc "$sc_kb / 1024")"
rm -rf "$work/shipped"

# Price history: a 1,000-vendor site in git with 50 commits of price changes (20 records
# each; scripts/history-repo.sh), built without and with `--history`. Each run's ratio of the
# two is taken within the run; the issue's bound is 2x.
history_n=${BENCH_HISTORY_VENDORS:-1000}
history_site="$work/history-$history_n"
rm -rf "$history_site"
"$gen" "$history_n" "$history_site"
scripts/history-repo.sh "$history_site" 50 20
"$bin" build --quiet --history --root "$history_site"   # warm the caches
plain_runs=() history_runs=() history_ratios=()
for _ in $(seq "$runs"); do
  rm -rf "$history_site/site"
  sync
  plain_runs+=("$(timed "$bin" build --quiet --root "$history_site")")
  rm -rf "$history_site/site"
  sync
  history_runs+=("$(timed "$bin" build --quiet --history --root "$history_site")")
  history_ratios+=("$(calc "${history_runs[-1]%% *} / ${plain_runs[-1]%% *}")")
done
read -r hp_s hp_kb <<<"$(median_run "${plain_runs[@]}")"
read -r hh_s hh_kb <<<"$(median_run "${history_runs[@]}")"
changes=$(grep -c '"kind"' "$history_site/site/api/changes.json" || true)
printf '
%-34s %9s %9s %9s
' "history ($history_n vendors, 50 commits)" "wall (s)" "× plain" "RSS (MiB)"
printf '%-34s %9.2f %9s %9.0f
' "build" "$hp_s" "" "$(calc "$hp_kb / 1024")"
printf '%-34s %9.2f %9.2f %9.0f
' "build --history ($changes changes)" "$hh_s" \
  "$(median "${history_ratios[@]}")" "$(calc "$hh_kb / 1024")"
rm -rf "$history_site"

# Hostile input must be refused before it costs anything: the tests check only that the alias
# cases of the bad-input corpus are refused (a speed bound does not belong in a test), so their
# time is measured here. Each is the good fixture with the case's overlay; one run each.
printf '\n%-28s %9s  %s\n' "alias case (check)" "wall (s)" "exit, first error"
for case in tests/bad_inputs/alias-*/; do
  rm -rf "$work/hostile"
  cp -r tests/fixtures/good "$work/hostile"
  cp -r "$case/overlay/." "$work/hostile/"
  start=$(date +%s.%N)
  status=0
  "$bin" check --root "$work/hostile" >/dev/null 2>"$work/hostile.err" || status=$?
  end=$(date +%s.%N)
  printf '%-28s %9.3f  %s, %.60s\n' "$(basename "$case")" "$(calc "$end - $start")" "$status" \
    "$(grep -m1 '^error: ' "$work/hostile.err" | cut -d' ' -f3- || true)"
done
# The browser: how the largest site's list pages behave in Chromium (load, sort, keystroke;
# scripts/browser_bench.mjs), when node, Chromium and tests/browser's packages are here.
largest=${sizes[-1]}
if command -v node >/dev/null && [ -x "${CHROMIUM:-/usr/bin/chromium}" ] \
  && [ -d tests/browser/node_modules/playwright-core ]; then
  printf '\n%s vendors in Chromium\n' "$largest"
  node scripts/browser_bench.mjs "$work/site-$largest/site" "${BROWSER_RUNS:-5}"
else
  printf '\nbrowser: skipped (needs node, Chromium and `npm ci` in tests/browser)\n'
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)"
