#!/bin/sh
# Installs a pzr release binary for this machine, verified against the
# release's SHA256SUMS: install.sh [VERSION|latest] [DIR]. Exits 3 when the
# release has no binary for this machine (the GitHub Action then builds it).
set -eu
version=${1:-latest}
dir=${2:-/usr/local/bin}
repo=${PZR_REPO:-pzr-dev/pzr}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) echo "install.sh: no prebuilt pzr for $(uname -s) $(uname -m)" >&2; exit 3 ;;
esac
if [ "$version" = latest ]; then
  base="https://github.com/$repo/releases/latest/download"
else
  base="https://github.com/$repo/releases/download/$version"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
archive="pzr-$target.tar.gz"
curl -fsSL --retry 3 -o "$tmp/$archive" "$base/$archive" || {
  echo "install.sh: no $archive in release $version" >&2
  exit 3
}
curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$base/SHA256SUMS"
if command -v sha256sum >/dev/null; then sum="sha256sum"; else sum="shasum -a 256"; fi
(cd "$tmp" && grep " $archive\$" SHA256SUMS | $sum -c -)
tar -xzf "$tmp/$archive" -C "$tmp"
install -m 0755 "$tmp/pzr" "$dir/pzr"
"$dir/pzr" --version
