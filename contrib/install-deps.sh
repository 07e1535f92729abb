#!/usr/bin/env bash
# Installs what building, mounting and testing ringfs need (Debian 12 or later, as root).
set -euo pipefail
packages=(
	build-essential meson ninja-build pkg-config
	libfuse3-dev fuse3 libcurl4-openssl-dev libjansson-dev libglib2.0-dev zlib1g-dev
	libglib2.0-bin # tests/mount/test_trash.py: gio trash
	python3 python3-pytest python3-yaml python3-docutils
	sox file poppler-utils jq attr rsync procps clang-format vim nano tmux
	clang libclang-rt-14-dev # contrib/fuzz.sh: libFuzzer
	nodejs npm # tests/test_sdk.py: RingCentral's JavaScript SDK (npm ci of tests/sdk/)
)
missing=()
for p in "${packages[@]}"; do
	# any Node.js and npm will do (NodeSource's nodejs carries npm and conflicts with
	# Debian's npm package: do not ask apt for it then)
	case "$p" in
	nodejs) command -v node >/dev/null && continue ;;
	npm) command -v npm >/dev/null && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" -ne 0 ]; then
		echo "ringfs: missing packages: ${missing[*]} (run as root, or install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
