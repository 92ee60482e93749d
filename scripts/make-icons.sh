#!/usr/bin/env bash
# Renders the PNG icons of the web app manifest from public/icons/icon.svg. The PNGs are committed;
# run this after changing the SVG (needs rsvg-convert from Debian's librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/../public/icons"
# Maskable icons are cropped to a circle by some launchers: full-bleed background, artwork within the
# central 80 % safe zone.
sed -e 's|rx="112" ||' -e 's|<circle|<g transform="translate(256 256) scale(0.74) translate(-256 -256)"><circle|' \
    -e 's|</svg>|</g></svg>|' icon.svg > /tmp/icon-maskable.svg
for size in 192 512; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "icon-$size.png"
  rsvg-convert -w "$size" -h "$size" /tmp/icon-maskable.svg -o "icon-maskable-$size.png"
done
