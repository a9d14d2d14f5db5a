#!/usr/bin/env bash
# Vendor the front-end libraries into weijian/static/vendor/ from the npm registry.
#
# Government intranets have no internet, so the pages never load anything from a CDN: the files
# are committed to the repository. To update a library, change its version below, run this
# script from anywhere, review `git diff --stat weijian/static/vendor`, update the versions in
# weijian/static/vendor/README.md and try the pages in a browser.
#
# Needs node and npm. Installs into a temporary directory; nothing is left outside the repo.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
HTMX_VERSION="2.0.11"
ECHARTS_VERSION="6.1.0"

command -v npm >/dev/null || { echo "error: npm is needed (apt-get install npm)" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo/weijian/static/vendor"
work="$(mktemp -d "${TMPDIR:-/tmp}/weijian-vendor.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "Installing bootstrap@$BOOTSTRAP_VERSION htmx.org@$HTMX_VERSION echarts@$ECHARTS_VERSION into $work"
(
    cd "$work"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --ignore-scripts --save-exact \
        "bootstrap@$BOOTSTRAP_VERSION" "htmx.org@$HTMX_VERSION" "echarts@$ECHARTS_VERSION" >/dev/null
)
nm="$work/node_modules"

# Copy a minified file, dropping the trailing source-map comment line (//# or /*# sourceMappingURL=)
# so that browsers do not ask for a .map file we do not ship.
copy_min() {
    local src="$1" dst="$2"
    mkdir -p "$(dirname "$dst")"
    sed -E '/^\/[\/*][#@] sourceMappingURL=/d' "$src" >"$dst"
}

copy_plain() {
    local src="$1" dst="$2"
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
}

rm -rf "$dest/bootstrap" "$dest/htmx" "$dest/echarts"

copy_min "$nm/bootstrap/dist/css/bootstrap.min.css" "$dest/bootstrap/bootstrap.min.css"
copy_min "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/bootstrap.bundle.min.js"
copy_plain "$nm/bootstrap/LICENSE" "$dest/bootstrap/LICENSE"
# The bundle includes Popper.
copy_plain "$nm/@popperjs/core/LICENSE.md" "$dest/bootstrap/LICENSE-popper"

copy_min "$nm/htmx.org/dist/htmx.min.js" "$dest/htmx/htmx.min.js"
copy_plain "$nm/htmx.org/LICENSE" "$dest/htmx/LICENSE"

copy_min "$nm/echarts/dist/echarts.min.js" "$dest/echarts/echarts.min.js"
copy_plain "$nm/echarts/LICENSE" "$dest/echarts/LICENSE"
if [[ -f "$nm/echarts/NOTICE" ]]; then
    copy_plain "$nm/echarts/NOTICE" "$dest/echarts/NOTICE"
fi
# echarts.min.js includes zrender and code derived from d3 (see echarts/LICENSE).
copy_plain "$nm/zrender/LICENSE" "$dest/echarts/LICENSE-zrender"
copy_plain "$nm/echarts/licenses/LICENSE-d3" "$dest/echarts/LICENSE-d3"

# Check that nothing would make a browser fetch from another host.
minified=(
    "$dest/bootstrap/bootstrap.min.css"
    "$dest/bootstrap/bootstrap.bundle.min.js"
    "$dest/htmx/htmx.min.js"
    "$dest/echarts/echarts.min.js"
)
status=0
if grep -l "sourceMappingURL" "${minified[@]}"; then
    echo "error: a sourceMappingURL comment is left in the files above" >&2
    status=1
fi
if grep -lE "@import|url\([\"']?(https?:)?//" "$dest/bootstrap/bootstrap.min.css"; then
    echo "error: the stylesheet imports or references a remote resource" >&2
    status=1
fi
echo "URLs left in the minified files (licence banners, error messages, XML namespaces: review):"
{ grep -ohE "https?://[^\"' )]+" "${minified[@]}" || true; } | sort | uniq -c
exit "$status"
