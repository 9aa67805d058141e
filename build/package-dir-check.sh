#!/usr/bin/env bash
# The offline packaging checks on their own (they also run in `npm test`): electron-builder with the
# real electron-builder.yml and a stub Electron, for the .deb (stand-in fpm, packed files, fuses,
# control fields, desktop entry) and the NSIS installer settings; icons, WinGet manifests and the
# workflows. See tests/packaging/.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx vitest run tests/packaging/
