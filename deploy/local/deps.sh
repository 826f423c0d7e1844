#!/bin/sh
# deps.sh: install what the project needs on Debian 12, as root.  Does
# nothing (and needs no network) when everything is present already.
set -eu

PKGS="build-essential pkg-config libnng-dev libprotobuf-c-dev
protobuf-c-compiler libmicrohttpd-dev libwebsockets-dev libhiredis-dev
libpq-dev libmsgpack-dev libsecp256k1-dev libsodium-dev nettle-dev
libjansson-dev libcmocka-dev libcurl4-openssl-dev redis-server postgresql
curl valgrind wrk nginx-light procps"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# Node.js (with npm) runs the integration tests' wallet and WebSocket
# clients; a machine may already have one from another source.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing (run make deps as root)" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
	# The packaged servers must not run as system services: the cluster
	# starts its own on private ports.
	for s in redis-server postgresql nginx; do
		if command -v service >/dev/null 2>&1; then
			service "$s" stop >/dev/null 2>&1 || true
		fi
	done
fi
