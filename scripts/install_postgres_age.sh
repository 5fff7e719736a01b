#!/usr/bin/env bash
# Installs PostgreSQL 15 from Debian's archive and Apache AGE 1.6.0 built from the vendored source
# (Debian ships no AGE package). Used by .ci/run and, when allowed, by the test harness.
# Idempotent: packages already installed are not reinstalled, and the build is skipped when
# AGE is already installed for PostgreSQL 15. Needs root when something is missing.
#
# The source is `shared/vendor/apache-age-1.6.0-pg15.tar.gz` in the nearest ancestor directory of
# the checkout that has it (`../shared/vendor/…` next to a checkout), or $IMBI_AGE_TARBALL.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
TARBALL_NAME=apache-age-1.6.0-pg15.tar.gz
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

age_installed() {
  [ -x "$PG_BIN/pg_config" ] || return 1
  [ -f "$("$PG_BIN/pg_config" --pkglibdir)/age.so" ] &&
    [ -f "$("$PG_BIN/pg_config" --sharedir)/extension/age.control" ]
}

if age_installed; then
  echo "Apache AGE is already installed for PostgreSQL 15 ($("$PG_BIN/pg_config" --pkglibdir)/age.so)"
  exit 0
fi

find_tarball() {
  if [ -n "${IMBI_AGE_TARBALL:-}" ]; then
    echo "$IMBI_AGE_TARBALL"
    return 0
  fi
  local dir=$repo
  while [ "$dir" != "/" ]; do
    dir=$(dirname "$dir")
    if [ -f "$dir/shared/vendor/$TARBALL_NAME" ]; then
      echo "$dir/shared/vendor/$TARBALL_NAME"
      return 0
    fi
  done
  return 1
}

tarball=$(find_tarball) || {
  echo "Cannot find $TARBALL_NAME: expected ../shared/vendor/$TARBALL_NAME beside the checkout," \
    "or set IMBI_AGE_TARBALL to its path" >&2
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  echo "Apache AGE is not installed for PostgreSQL 15 and installing it needs root: run" \
    "'sudo $repo/scripts/install_postgres_age.sh'" >&2
  exit 1
fi

packages=(postgresql-15 postgresql-server-dev-15 bison flex build-essential)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Keep postgresql-15's postinst from starting the distribution's own cluster (the tests start
  # their own on a free port); restore any existing policy afterwards.
  policy=/usr/sbin/policy-rc.d
  backup=""
  if [ -e "$policy" ]; then
    backup=$(mktemp)
    cp -p "$policy" "$backup"
  fi
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  rc=0
  apt-get install -y --no-install-recommends "${missing[@]}" ||
    { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } || rc=$?
  if [ -n "$backup" ]; then mv "$backup" "$policy"; else rm -f "$policy"; fi
  [ "$rc" -eq 0 ] || exit "$rc"
fi

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
tar xzf "$tarball" -C "$build"
src=$(find "$build" -mindepth 1 -maxdepth 1 -type d | head -n 1)
echo "building Apache AGE from $tarball"
# PG_CONFIG pins the build to PostgreSQL 15 whatever /usr/bin/pg_config would pick.
make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" >"$build/build.log" 2>&1 || {
  tail -n 50 "$build/build.log" >&2
  exit 1
}
make -C "$src" install PG_CONFIG="$PG_BIN/pg_config" >>"$build/build.log" 2>&1 || {
  tail -n 50 "$build/build.log" >&2
  exit 1
}
age_installed || {
  echo "the AGE build finished but age.so / age.control are not where PostgreSQL 15 looks" >&2
  exit 1
}
echo "installed Apache AGE into $("$PG_BIN/pg_config" --pkglibdir)"
