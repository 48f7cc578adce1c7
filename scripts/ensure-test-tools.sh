#!/usr/bin/env bash
# Installs what the browser tests need and checks PostgreSQL: Debian's chromium (Playwright
# drives it through executable_path; it never downloads a browser of its own).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "chromium is missing: install it (apt-get install chromium) for the browser tests." >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi
if [ -n "${CI:-}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432; trying to start it..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
