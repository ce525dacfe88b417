#!/usr/bin/env bash
# Install what Tongxin needs from its own files, and nothing when it is already up to date:
#   .venv/             python3 -m venv + pip install -r requirements-dev.txt
#   node_modules/      npm ci (npm install while there is no package-lock.json)
#   static/vendor/     manage.py vendor_assets (Bootstrap, icons, ECharts; never a CDN)
# Each step keeps the hash of its inputs in a stamp file inside what it built, so deleting the
# folder or changing a requirements or lock file redoes exactly that step.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

fingerprint() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
stale() { [ "$(cat "$1" 2>/dev/null)" != "$2" ]; }

# 1. Python
if [ ! -x "$VENV/bin/python" ]; then
  if ! command -v "$PYTHON" >/dev/null; then
    echo "Python 3.11 or newer is needed ($PYTHON not found; set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
    exit 1
  fi
  echo "Creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV"
fi
want=$(fingerprint requirements.txt requirements-dev.txt)
if stale "$VENV/.tongxin-requirements" "$want"; then
  echo "Installing Python packages (requirements-dev.txt)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$want" >"$VENV/.tongxin-requirements"
fi

# 2. Front-end packages
if [ -f package.json ]; then
  want=$(fingerprint package.json package-lock.json)
  if stale node_modules/.tongxin-packages "$want"; then
    if ! command -v npm >/dev/null; then
      echo "Node.js with npm is needed to install the front-end packages (package.json)." >&2
      exit 1
    fi
    if [ -f package-lock.json ]; then
      echo "Installing front-end packages (npm ci)"
      npm ci --no-audit --no-fund --loglevel=error
    else
      echo "Installing front-end packages (npm install)"
      npm install --no-audit --no-fund --loglevel=error
    fi
    echo "$want" >node_modules/.tongxin-packages
  fi
fi

# 3. Vendor assets copied into static/
if [ -f congress/management/commands/vendor_assets.py ] && [ -d node_modules ]; then
  want=$(fingerprint node_modules/.tongxin-packages congress/management/commands/vendor_assets.py)
  if stale static/vendor/.tongxin-assets "$want"; then
    echo "Copying front-end assets into static/vendor/"
    DEBUG=1 "$VENV/bin/python" manage.py vendor_assets --skip-checks
    echo "$want" >static/vendor/.tongxin-assets
  fi
fi
