#!/usr/bin/env bash
# Validates electron-builder.yml and the app.asar contents offline. The real Electron binary cannot
# be downloaded here, so a stub stands in for it; npmRebuild stays off because rebuilding
# better-sqlite3 for Electron here silently produces a wrong build (see ../shared/toolchain.md).
set -euo pipefail
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
mkdir -p "$stub/resources"
printf '#!/bin/sh\necho "stub electron"\n' > "$stub/electron"
chmod +x "$stub/electron"
node -p "require('electron/package.json').version" > "$stub/version"
touch "$stub/LICENSE"
# Fuses cannot be flipped on a stub binary: check everything else of the real config.
node -e '
  const yaml = require("js-yaml"); const fs = require("fs");
  const config = yaml.load(fs.readFileSync("electron-builder.yml", "utf8"));
  if (!config.electronFuses || config.electronFuses.runAsNode !== false) throw new Error("electronFuses.runAsNode must be false");
  delete config.electronFuses;
  fs.writeFileSync(process.argv[1], JSON.stringify(config));' "$stub/config.json"
npx electron-builder --linux --dir --config "$stub/config.json" -c.electronDist="$stub" -c.npmRebuild=false --publish never
test -f release/linux-unpacked/resources/app.asar
npx asar list release/linux-unpacked/resources/app.asar > "$stub/asar.txt" 2>/dev/null || npx @electron/asar list release/linux-unpacked/resources/app.asar > "$stub/asar.txt"
for entry in /dist/node/src-main/shell/main.js /dist/preload/preload.cjs /dist/renderer/index.html; do
  grep -qx "$entry" "$stub/asar.txt" || { echo "package-dir-check: $entry missing from app.asar" >&2; exit 1; }
done
echo "package-dir-check: ok"
