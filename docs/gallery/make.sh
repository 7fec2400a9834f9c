#!/usr/bin/env bash
# Remakes the README's gallery: every view rendered headless on the bundled defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for view in models data experiment devices run results export demo; do
  "$root/mrw" gui --screenshot "$root/docs/gallery/$view.png" --view "$view" --size 1280x800
done
