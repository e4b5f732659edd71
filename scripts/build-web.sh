#!/usr/bin/env bash
# Build the web app's vendor assets: install the map library (Leaflet and
# leaflet.markercluster) and the offline basemap (US state outlines from us-atlas, country
# outlines from world-atlas, both TopoJSON, read with topojson-client), pinned in
# package.json / package-lock.json, from the npm registry with `npm ci`, and copy their
# dist files into eventledger/web/static/vendor/ (gitignored).
# Nothing is taken from a CDN and nothing built is committed. Quick when already built:
# a stamp holding the lock file's SHA-256 says whether the copy is current.
set -euo pipefail
cd "$(dirname "$0")/.."

vendor=eventledger/web/static/vendor
stamp="$vendor/.lock-sha256"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$vendor/leaflet/leaflet.js" ] \
        && [ -f "$vendor/outlines/states-10m.json" ]; then
    echo "web assets current in $vendor"
    exit 0
fi
command -v npm >/dev/null || { echo "error: npm not found; install Node.js (apt-get install -y npm)" >&2; exit 1; }
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/markercluster" "$vendor/outlines"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE "$vendor/leaflet/"
cp -r node_modules/leaflet/dist/images "$vendor/leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
   node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/markercluster/"
cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE "$vendor/outlines/"
cp node_modules/us-atlas/states-10m.json "$vendor/outlines/"
cp node_modules/world-atlas/countries-110m.json "$vendor/outlines/"
cp node_modules/us-atlas/LICENSE "$vendor/outlines/LICENSE.us-atlas"
cp node_modules/world-atlas/LICENSE "$vendor/outlines/LICENSE.world-atlas"
echo "$want" > "$stamp"
echo "web assets built in $vendor"
