#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real: feed readers and parsers, an XML checker,
# a headless browser and SpamAssassin. Skips apt entirely when everything is already there.
set -euo pipefail
packages=(chromium python3-feedparser newsboat libxml2-utils spamassassin fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
