#!/usr/bin/env bash
# Counts the instructions of `scimfacts check` and `build` on a generated site with callgrind,
# and how many of them parsing YAML takes (`load::parse_yaml`, inclusive).
#
#   scripts/parse_share.sh [N]            default: 1000 vendors
#   BIN=/path/to/scimfacts scripts/parse_share.sh 1000
#
# BIN measures another build of scimfacts, e.g. one whose YAML fast path is turned off (make
# `load::plain_yaml::parse` return `None` at once, build with `cargo build --release`, copy
# the binary), to compare the two. Counts of instructions do not move with the disk or with
# other work on the machine, unlike times. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --example gen_site
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$target_dir/release/scimfacts
fi
"$target_dir/release/examples/gen_site" "$n" "$work/site"

count() { # what, command... → "total parse_yaml"
  local out=$work/callgrind.out
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /scimfacts::load::(yaml::)?parse_yaml[ <]/ && !parse { gsub(",", "", $1); parse = $1 }
    END { print total, parse + 0 }'
}

printf '%-6s %16s %16s %8s\n' what instructions "parse_yaml" share
read -r total parse <<<"$(count "$BIN" check --root "$work/site")"
printf '%-6s %16s %16s %7.1f%%\n' check "$total" "$parse" "$(awk "BEGIN { print 100 * $parse / $total }")"
read -r total parse <<<"$(count "$BIN" build --quiet --root "$work/site")"
printf '%-6s %16s %16s %7.1f%%\n' build "$total" "$parse" "$(awk "BEGIN { print 100 * $parse / $total }")"
echo "$n vendors; $BIN"
