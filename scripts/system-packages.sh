#!/usr/bin/env bash
# Install the Debian/Ubuntu packages of scripts/system-packages.txt that these scripts need.
#   bash scripts/system-packages.sh test        # the lines marked "test"; also: demo, build, all
# Does nothing (in a few milliseconds) when every package is there: dpkg-query is asked first.
# Root runs apt-get itself (apt-get update only when something is missing); anyone else gets
# sudo where it works without asking for a password, or one line naming the command to run.
set -euo pipefail
LIST="$(cd "$(dirname "$0")" && pwd)/system-packages.txt"
(($#)) || set -- all

# One line per package the purposes need: its names ("a|b": any of them will do).
mapfile -t WANTED < <(awk -v purposes="$*" '
  BEGIN { n = split(purposes, p, " "); for (i = 1; i <= n; i++) want[p[i]] = 1 }
  /^[[:space:]]*(#|$)/ { next }
  { for (i = 2; i <= NF; i++) if (want["all"] || ($i in want)) { print $1; next } }' "$LIST")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not Debian/Ubuntu, so nothing was installed: make sure the equivalents of $LIST ($*) are there" >&2
  exit 0
fi

declare -A INSTALLED=()
while read -r status name; do
  [[ $status == ii ]] && INSTALLED[$name]=1
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null)

MISSING=()
for names in "${WANTED[@]}"; do
  found=
  IFS='|' read -ra alternatives <<<"$names"
  for name in "${alternatives[@]}"; do [[ -n ${INSTALLED[$name]:-} ]] && found=1; done
  [[ -n $found ]] || MISSING+=("$names")
done
((${#MISSING[@]})) || exit 0

# The name apt knows, of each missing line's alternatives (the last one if apt knows none yet).
pick() {
  local names alternatives name chosen
  for names in "${MISSING[@]}"; do
    IFS='|' read -ra alternatives <<<"$names"
    chosen=${alternatives[-1]}
    for name in "${alternatives[@]}"; do
      if apt-cache show --no-all-versions "$name" >/dev/null 2>&1; then chosen=$name; break; fi
    done
    echo "$chosen"
  done
}

if [[ $(id -u) == 0 ]]; then
  AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  AS_ROOT=(sudo -n)
else
  mapfile -t NAMES < <(pick)
  echo "Missing system packages (scripts/system-packages.txt): run  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${NAMES[*]}  and then this script again" >&2
  exit 1
fi

echo "Installing system packages (scripts/system-packages.txt): ${MISSING[*]}"
"${AS_ROOT[@]}" apt-get update -qq
mapfile -t NAMES < <(pick)
"${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${NAMES[@]}" >/dev/null
