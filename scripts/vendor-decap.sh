#!/usr/bin/env bash
# Refreshes vendor/decap-cms/ from the npm registry at the pinned version, checking npm's
# published integrity hash. The site build copies these files to /admin/ as they are: no CDN
# is used at run time. Run by hand when upgrading; the files are committed.
set -euo pipefail
VERSION="${1:-3.16.3}"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
expected="$(npm view "decap-cms@$VERSION" dist.integrity)"
tarball="$(cd "$work" && npm pack "decap-cms@$VERSION" --silent)"
actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
[ "$expected" = "$actual" ] || { echo "integrity mismatch: $expected != $actual" >&2; exit 1; }
tar -xzf "$work/$tarball" -C "$work"
rm -rf vendor/decap-cms
mkdir -p vendor/decap-cms
cp "$work"/package/dist/decap-cms.js "$work"/package/dist/*.decap-cms.js "$work"/package/dist/*.wasm vendor/decap-cms/
cp "$work"/package/dist/decap-cms.js.LICENSE.txt vendor/decap-cms/
cp "$work"/package/LICENSE vendor/decap-cms/LICENSE 2>/dev/null || true
echo "decap-cms@$VERSION $expected" > vendor/decap-cms/VERSION
echo "vendor/decap-cms: decap-cms@$VERSION ($(ls vendor/decap-cms | wc -l) files)"
