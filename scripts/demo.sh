#!/usr/bin/env bash
# Set up and start the program on demo data: the system packages it needs (Debian/Ubuntu),
# .venv from requirements.lock, ./demo-data filled with a demo register (once), then the window.
# With no screen (no DISPLAY or WAYLAND_DISPLAY) the window opens on a virtual one (xvfb-run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh demo
bash scripts/venv.sh
[[ -f demo-data/wuye.db ]] || .venv/bin/wuye --data-dir demo-data demo --cases "${DEMO_CASES:-3000}" --seed 1
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
  echo "No screen here: the window opens on a virtual screen (xvfb-run); run this on a desktop to see it"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/wuye-desktop --data-dir demo-data
fi
exec .venv/bin/wuye-desktop --data-dir demo-data
