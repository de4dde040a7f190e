#!/usr/bin/env bash
# Memory that grows with photos processed (glibc malloc arenas, as sharp's documentation warns), by allocator
# setting, all in one run so the figures compare: peak RSS after 2, 6 and COUNT photos (two at a time), and the
# RSS when idle. From the repo root: bash bench/allocator.sh   (COUNT=20 ROUNDS=3 PHOTO=<file> optional)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mktemp -d)"
npx esbuild bench/allocator-child.ts --bundle --platform=node --packages=external --outfile="$dir/child.js" --log-level=warning
photo="${PHOTO:-$dir/12mp.jpg}"
if [ -z "${PHOTO:-}" ]; then
  # A 12 MP phone-sized JPEG from the shared corpus (EXIF 6, as phones write it).
  NODE_PATH="$PWD/node_modules" node -e "require('sharp')('../shared/images/exif-orientation-examples/Landscape_6.jpg').resize(4032, 3024, { fit: 'fill' }).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile('$photo')"
fi
count="${COUNT:-20}"
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
run() { env "$@" NODE_PATH="$PWD/node_modules" node "$dir/child.js" "$photo" "$count" "${CACHE:-on}"; }
for round in $(seq "${ROUNDS:-3}"); do
  echo "round $round"
  echo "  glibc default          $(run MALLOC_ARENA_MAX=)"
  echo "  MALLOC_ARENA_MAX=2     $(run MALLOC_ARENA_MAX=2)"
  echo "  sharp.cache(false)     $(CACHE=off run MALLOC_ARENA_MAX=)"
  echo "  ARENA_MAX=2 + no cache $(CACHE=off run MALLOC_ARENA_MAX=2)"
  if [ -f "$jemalloc" ]; then echo "  jemalloc (LD_PRELOAD)  $(run LD_PRELOAD=$jemalloc)"; fi
done
rm -rf "$dir"
