#!/usr/bin/env bash
# Builds the release binary, packs it as users download it, and proves the packed binary works.
#
#   scripts/release-archive.sh [TARGET]
#
# Runs `cargo build --release --locked [--target TARGET]` (without TARGET: for this machine,
# in the usual target folder, so that an earlier `cargo build --release` is reused), then packs
#
#   dist/scimfacts-<version>-<target>.tar.gz   (.zip for a Windows target)
#   dist/scimfacts-<version>-<target>.tar.gz.sha256   (sha256sum's format: `sha256sum -c` it)
#
# holding one folder, scimfacts-<version>-<target>/, with the binary (scimfacts, or
# scimfacts.exe), README.md, LICENSE-MIT and LICENSE-APACHE: the names and the layout that
# Cargo.toml's [package.metadata.binstall] and the README's Install table give. Then it checks
# the checksum, unpacks the archive into a temporary folder, and runs the unpacked binary:
# `--version` must name this version, and `build` of the shipped data/ alone (templates and
# static files built in, as a user without a clone has them) must write every vendor's page.
#
# The release workflow (.github/workflows/release.yml) runs this for each platform, and
# .ci/run for the host. Needs bash, tar and gzip; for a Windows target zip, 7z or PowerShell;
# sha256sum or shasum.
set -euo pipefail
cd "$(dirname "$0")/.."

name=scimfacts
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "release-archive: no version in Cargo.toml" >&2; exit 1; }
target_dir=${CARGO_TARGET_DIR:-target}

if [ $# -gt 1 ]; then
  echo "usage: scripts/release-archive.sh [TARGET]" >&2
  exit 2
elif [ $# -eq 1 ]; then
  target=$1
  cargo build --release --locked --target "$target"
  built=$target_dir/$target/release
else
  target=$(rustc -vV | sed -n 's/^host: //p')
  cargo build --release --locked
  built=$target_dir/release
fi

case $target in
  *windows*) exe=.exe suffix=.zip ;;
  *) exe='' suffix=.tar.gz ;;
esac
stem=$name-$version-$target
archive=$stem$suffix

native() { # path → as a Windows program takes it, under Git Bash; else the same
  if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s' "$1"; fi
}

sha256() { # file → its sha256sum line
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}

# Pack: dist/<stem>/ holds the files, then becomes the archive's one top folder.
mkdir -p dist
rm -rf "dist/$stem" "dist/$archive" "dist/$archive.sha256"
mkdir "dist/$stem"
cp "$built/$name$exe" README.md LICENSE-MIT LICENSE-APACHE "dist/$stem/"
export COPYFILE_DISABLE=1  # macOS tar: no ._ files of extended attributes
(
  cd dist
  if [ "$suffix" = .tar.gz ]; then
    tar -czf "$archive" "$stem"
  elif command -v zip >/dev/null 2>&1; then
    zip -qr "$archive" "$stem"
  elif command -v 7z >/dev/null 2>&1; then
    7z a -tzip -bd "$archive" "$stem" >/dev/null
  else
    powershell -NoProfile -Command "Compress-Archive -Path '$stem' -DestinationPath '$archive'"
  fi
  rm -rf "$stem"
  sha256 "$archive" >"$archive.sha256"
)

# Prove it: the checksum holds, and the binary unpacked from the archive runs and builds.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd dist && if command -v sha256sum >/dev/null 2>&1; then sha256sum -c "$archive.sha256"; else shasum -a 256 -c "$archive.sha256"; fi)
if [ "$suffix" = .tar.gz ]; then
  tar -xzf "dist/$archive" -C "$tmp"
elif command -v unzip >/dev/null 2>&1; then
  unzip -q "dist/$archive" -d "$tmp"
elif command -v 7z >/dev/null 2>&1; then
  7z x -bd "-o$(native "$tmp")" "dist/$archive" >/dev/null
else
  powershell -NoProfile -Command "Expand-Archive -Path 'dist/$archive' -DestinationPath '$(native "$tmp")'"
fi
listed=$(cd "$tmp" && find . -type f | LC_ALL=C sort | tr '\n' ' ')
expected="./$stem/LICENSE-APACHE ./$stem/LICENSE-MIT ./$stem/README.md ./$stem/$name$exe "
[ "$listed" = "$expected" ] || {
  echo "release-archive: $archive holds: $listed; expected: $expected" >&2
  exit 1
}
bin=$tmp/$stem/$name$exe
said=$("$bin" --version | tr -d '\r')
[ "$said" = "$name $version" ] || {
  echo "release-archive: the packed binary says \"$said\", expected \"$name $version\"" >&2
  exit 1
}
mkdir "$tmp/root"
cp -R data "$tmp/root/data"
# The shipped records carry warnings (sources that disagree): kept out of the way unless the
# build fails.
"$bin" build --quiet --root "$tmp/root" --output "$tmp/site" 2>"$tmp/build.log" || {
  cat "$tmp/build.log" >&2
  echo "release-archive: the packed binary's build failed (above)" >&2
  exit 1
}
records=$(find data/vendors -name '*.yaml' | wc -l | tr -d ' ')
pages=$(find "$tmp/site/vendors" -name index.html | wc -l | tr -d ' ')
[ -f "$tmp/site/index.html" ] && [ "$pages" -eq "$records" ] || {
  echo "release-archive: the packed binary's build wrote $pages vendor pages for $records records" >&2
  exit 1
}

size=$(wc -c <"dist/$archive" | tr -d ' ')
echo "dist/$archive: $size bytes, $(cut -d' ' -f1 "dist/$archive.sha256")"
echo "its binary: $said; built the shipped site from data/ alone: $records vendor pages," \
  "$(grep -c '^warning: ' "$tmp/build.log" || true) warnings"
