#!/usr/bin/env bash
# Runs the photo pipeline benchmark: bundles bench/photo-prepare.ts with esbuild, runs it with node.
# From the repo root: bash bench/run-photo-prepare.sh   (ROUNDS=, JIMP_ROUNDS=, HEIC=<file> optional)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)/photo-prepare.js"
npx esbuild bench/photo-prepare.ts --bundle --platform=node --packages=external --outfile="$out" --log-level=warning
NODE_PATH="$PWD/node_modules" node "$out"
