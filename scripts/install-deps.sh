#!/bin/sh
# Install exactly the Debian packages kontroll needs that are not installed yet.
# As root it runs apt-get; otherwise it prints the missing packages and the
# command to install them, and exits 1 so a build does not go on half-equipped.
set -eu

packages="pkg-config liblmdb-dev libmsgpack-dev uuid-dev libsodium-dev nettle-dev libjansson-dev \
libcmocka-dev libsqlite3-dev"

missing=""
for pkg in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
    esac
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root: apt-get install$missing" >&2
    exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing
