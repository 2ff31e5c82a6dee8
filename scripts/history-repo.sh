#!/usr/bin/env bash
# Turns a generated site (examples/gen_site) into a git repository with a price history:
# a first commit of every record, then COMMITS-1 commits that each raise the first price of
# CHANGED records (a different set each time), one day apart. For the history case of
# scripts/bench.sh, and for trying `build --history` on a large site.
#
#   scripts/history-repo.sh SITE [COMMITS] [CHANGED]     default: 50 commits, 20 records each
set -euo pipefail

site=$1
commits=${2:-50}
changed=${3:-20}
records=("$site"/data/vendors/*.yaml)
count=${#records[@]}

git -C "$site" init -q
git -C "$site" config user.name "History bench"
git -C "$site" config user.email "bench@scimfacts.invalid"
commit() { # day message
  local when="2025-01-01T12:00:00Z"
  when=$(date -u -d "2025-01-01 + $1 days" +%Y-%m-%dT12:00:00Z)
  git -C "$site" add -A data
  GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git -C "$site" commit -q -m "$2"
}
printf 'site/\n' >"$site/.gitignore"
commit 0 "All records"
for ((c = 1; c < commits; c++)); do
  picked=()
  for ((k = 0; k < changed; k++)); do
    picked+=("${records[$(((c * 7919 + k * 104729) % count))]}")
  done
  # The first price of each picked record goes up by one.
  perl -pi -e 'if (!$done{$ARGV} && s/amount: (\d+(?:\.\d+)?)/"amount: " . ($1 + 1)/e) { $done{$ARGV} = 1 }' "${picked[@]}"
  commit "$c" "Prices of $changed vendors, day $c"
done
