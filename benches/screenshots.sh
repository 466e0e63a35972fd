#!/usr/bin/env bash
# Writes the HTML report of 2, 12 and 60 sources and screenshots each in headless Chromium, so
# that the layout can be looked at without a browser at hand:
#   report-N.png          the top of the page, in a 1400 × 2000 window
#   report-N-tall-K.png   the page further down, from a 1400 × 16000 window cut into tiles
#                         (needs ImageMagick's convert; skipped without it)
#   report-N.pdf          the page printed (the print stylesheet), and its first pages as
#   report-N-print-K.png  images (needs pdftoppm from poppler-utils; skipped without it)
# Not part of `cargo test`.
#
#   bash benches/screenshots.sh [OUT_DIR]      # default: target/screenshots
#
# Needs Chromium (Debian: apt-get install -y chromium; for the tiles and print pages also
# imagemagick and poppler-utils). The 2-source report is the bundled corpus; the 12 and 60
# are tests/fixtures/many (its first twelve sources, or all of them).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-target/screenshots}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "no chromium found: apt-get install -y chromium" >&2
  exit 1
fi

cargo build --release --quiet --bin parallax
bin=target/release/parallax
many=tests/fixtures/many
twelve=$(LC_ALL=C ls "$many/keeper/sources" | head -12 | sed 's/\.toml$//' | paste -sd, -)

"$bin" --corpus interpretations export -o "$out/report-2.html"
"$bin" --corpus "$many" export --sources "$twelve" -o "$out/report-12.html"
"$bin" --corpus "$many" export -o "$out/report-60.html"

chrome() { # chrome ARGS… : a headless run with a throwaway profile, no network, no noise
  local profile
  profile=$(mktemp -d)
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" "$@" >/dev/null 2>&1
  rm -rf "$profile"
}

for n in 2 12 60; do
  page="file://$PWD/$out/report-$n.html"
  chrome --window-size=1400,2000 --screenshot="$out/report-$n.png" "$page"
  if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
    chrome --window-size=1400,16000 --screenshot="$out/report-$n-tall.png" "$page"
    convert "$out/report-$n-tall.png" -crop 1400x2000 +repage "$out/report-$n-tall-%d.png"
    rm "$out/report-$n-tall.png"
  fi
  chrome --no-pdf-header-footer --print-to-pdf="$out/report-$n.pdf" "$page"
  if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 60 -f 1 -l 6 "$out/report-$n.pdf" "$out/report-$n-print"
  fi
done
ls "$out"
