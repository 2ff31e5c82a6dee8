#!/usr/bin/env bash
# Seeds the `template` target's corpus with the built-in templates a vendor page is made of,
# each behind the byte that picks it (0 vendor.html, 1 base.html, 2 components.html), so the
# fuzzer starts from today's templates rather than from copies that drift.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/template
i=0
for name in vendor.html base.html components.html; do
  { printf "\\x0$i"; cat "../templates/$name"; } > "corpus/template/builtin-$name"
  i=$((i + 1))
done
