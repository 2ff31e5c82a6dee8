#!/usr/bin/env bash
# Replays the history of sso.tax through `scimfacts import`, commit by commit, into a fresh
# catalogue repository, then builds it with price history and checks that Slack's two price
# changes appear with their dates. Each sso.tax commit on its main line (first parent) becomes
# one commit of the catalogue, with the same author date; commits whose snapshot the importer
# cannot read (before sso.tax kept one file per vendor) are skipped.
#
#   scripts/replay-sso-tax.sh [BUNDLE] [WORKDIR]
#       BUNDLE   default: ../shared/catalogues/sso-tax.bundle
#       WORKDIR  default: a temporary folder, removed at the end (kept when given)
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=$(realpath "${1:-../shared/catalogues/sso-tax.bundle}")
work=${2:-$(mktemp -d)}
[ -n "${2:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

cargo build --release --quiet
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/scimfacts")

rm -rf "$work/sso-tax" "$work/catalogue" "$work/snapshot"
git -c init.defaultBranch=main clone -q "$bundle" "$work/sso-tax"
"$bin" init "$work/catalogue" --title "sso.tax, replayed" >/dev/null
cd "$work/catalogue"
git init -q -b main
git config user.name "Replay"
git config user.email "replay@scimfacts.invalid"
printf 'history: true\n' >>data/site.yaml
# The example record `init` writes is not sso.tax's.
rm -f data/vendors/*.yaml

commits=$(git -C "$work/sso-tax" rev-list --first-parent --reverse HEAD)
imported=0 skipped=0 unchanged=0
for commit in $commits; do
  rm -rf "$work/snapshot"
  mkdir "$work/snapshot"
  git -C "$work/sso-tax" archive "$commit" | tar -x -C "$work/snapshot"
  if ! "$bin" import sso-tax "$work/snapshot" --root . >/dev/null 2>&1; then
    skipped=$((skipped + 1))
    continue
  fi
  git add -A data
  if git diff --cached --quiet; then
    unchanged=$((unchanged + 1))
    continue
  fi
  when=$(git -C "$work/sso-tax" log -1 --format=%aI "$commit")
  subject=$(git -C "$work/sso-tax" log -1 --format=%s "$commit")
  GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when \
    git commit -q -m "sso.tax ${commit:0:7}: $subject"
  imported=$((imported + 1))
done
echo "sso.tax: $(wc -w <<<"$commits") commits on its main line; $imported imported as commits," \
  "$unchanged changed nothing, $skipped not importable (before one file per vendor)"

"$bin" build --quiet --root .
python3 - site/api/vendors/slack.json <<'PY'
import json, sys
history = json.load(open(sys.argv[1]))["history"]
events = history["events"]
for event in events:
    changes = "; ".join(f'{c["kind"]} {c.get("tier") or ""}: {c["before"]} -> {c["after"]}' for c in event["changes"])
    print(f'Slack {event["date"]} ({event["dated_by"]}, {event["commit"][:7]}): {changes}; '
          f'SCIM premium {event["scim_premium_before"]["text"]} -> {event["scim_premium_after"]["text"]}')
dates = [event["date"] for event in events]
expected = ["2023-06-29", "2022-07-26"]
if dates != expected:
    sys.exit(f"Slack's price changes: expected {expected}, found {dates}")
print("Slack's price changes appear with their dates:", ", ".join(expected))
PY
echo "changes across the catalogue: $(grep -c '"kind"' site/api/changes.json)"
