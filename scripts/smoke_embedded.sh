#!/usr/bin/env bash
# Smoke-test the embedded default exactly as a newcomer meets it: `make run` in a clean copy of the
# project (no var/: a database, broker and demo never seen), on SQLite and the filesystem broker.
# Checks that the pages answer, that a task goes through the broker to the worker, and that a
# SIGTERM stops the web server and the worker cleanly. Reuses this tree's .venv, node_modules and
# static/vendor (run `make install` first). Usage: scripts/smoke_embedded.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${1:-8765}

copy=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM -- "-$server" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$server" 2>/dev/null || true
  fi
  rm -rf "$copy"
}
trap cleanup EXIT

git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$copy"
mkdir -p "$copy/static"
cp -a static/vendor "$copy/static/"
rm -rf "$copy/.venv" "$copy/node_modules"  # in case a symlinked one was listed as untracked
ln -s "$ROOT/.venv" "$copy/.venv"
ln -s "$ROOT/node_modules" "$copy/node_modules"
log="$copy/run.log"

# Only the embedded defaults: no PostgreSQL, Redis or secrets from the environment. setsid makes
# make the leader of its own process group, so one signal to the group reaches all of it.
(
  cd "$copy"
  exec setsid env -u DATABASE_URL -u CELERY_BROKER_URL -u REDIS_URL -u SECRET_KEY \
    make run PORT="$PORT" >"$log" 2>&1 </dev/null
) &
server=$!

up=""
for _ in $(seq 240); do
  kill -0 "$server" 2>/dev/null || break
  if grep -q "Tongxin is running at" "$log"; then up=1; break; fi
  sleep 1
done
if [ -z "$up" ]; then
  echo "make run did not come up:" >&2
  tail -n 80 "$log" >&2
  exit 1
fi
sed -n '/Tongxin is running at/,/Press Ctrl-C/p' "$log"

# The first demo login the seed printed (username, password) must let its user in.
read -r -a demo_login < <(sed -n 2p "$copy/var/demo-logins.txt")
"$ROOT/.venv/bin/python" "$ROOT/scripts/smoke_http.py" "http://127.0.0.1:$PORT" "${demo_login[@]:0:2}"
(
  cd "$copy"
  env -u DATABASE_URL -u CELERY_BROKER_URL -u REDIS_URL DEBUG=1 .venv/bin/python manage.py ping_worker --timeout 90
)

echo "Stopping make run with SIGTERM"
kill -TERM -- "-$server"
for _ in $(seq 30); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
if kill -0 "$server" 2>/dev/null; then
  echo "make run did not stop within 30 s of SIGTERM" >&2
  exit 1
fi
server=""
if "$ROOT/.venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then
  echo "the web server still listens after the stop" >&2
  exit 1
fi
if ! grep -q "Stopped the web server and the worker" "$log"; then
  echo "run_platform did not report a clean stop:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "The embedded platform started, answered, ran a task and stopped cleanly."
