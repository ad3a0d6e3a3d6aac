#!/usr/bin/env bash
# `make run`: the job queue's worker in the background, the web server in the foreground.
# Ctrl-C (or the web server stopping for any reason) stops the worker too; the worker finishes
# the job in hand first (Procrastinate's graceful shutdown on SIGTERM). Jobs not yet run stay in
# the database for the next start (docs/adr/0004-job-queue.md).
#   scripts/run-with-worker.sh .venv/bin/safeguard 127.0.0.1:8000
set -uo pipefail
safeguard=${1:?usage: run-with-worker.sh path/to/safeguard host:port}
address=${2:-127.0.0.1:8000}

"$safeguard" procrastinate worker &
worker=$!

stop() {
  trap - INT TERM EXIT
  if kill -0 "$worker" 2>/dev/null; then
    kill -TERM "$worker" 2>/dev/null
    wait "$worker" 2>/dev/null
  fi
}
trap stop INT TERM EXIT

"$safeguard" runserver "$address"
