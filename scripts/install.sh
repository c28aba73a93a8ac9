#!/usr/bin/env bash
# Install formcheck into ./.venv, with everything it needs from Debian and PyPI.
#   bash scripts/install.sh          the product (ffmpeg libraries for OpenCV's GUI build)
#   bash scripts/install.sh --test   the product plus what the tests need
#                                    (pytest & co, ffmpeg to make bad inputs, Debian's
#                                    Chromium for browser tests, Xvfb for the window test,
#                                    Ray for the cluster test: the "cluster" extra)
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
debs=(libgl1 libglib2.0-0)
# Debian's own python3 needs python3-venv for "python3 -m venv".
"$PY" -c "import ensurepip, venv" 2>/dev/null || debs+=(python3-venv)
[ "$want_test" = 1 ] && debs+=(ffmpeg chromium xvfb fonts-dejavu-core strace)

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" != 0 ] && SUDO="sudo"
  echo "formcheck install: Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test,cluster]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "formcheck install: ready (.venv/bin/formcheck)" >&2
