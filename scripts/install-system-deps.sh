#!/usr/bin/env bash
# Installs what the tests drive for real: Debian's feed readers and parsers, an XML checker, a
# headless browser and SpamAssassin; and, from Python's package index, moto_server (the AWS mock
# with real semantics) and cfn-lint. Skips each installer when everything it would add is there.
set -euo pipefail
packages=(chromium python3-feedparser newsboat libxml2-utils spamassassin fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python_tools=()
command -v moto_server >/dev/null 2>&1 || python_tools+=("moto[server]")
command -v cfn-lint >/dev/null 2>&1 || python_tools+=("cfn-lint")
if [ ${#python_tools[@]} -gt 0 ]; then
  echo "installing Python tools: ${python_tools[*]}" >&2
  if ! python3 -m pip install --quiet "${python_tools[@]}"; then
    cat >&2 <<MSG
The tests need moto_server (an AWS mock that keeps S3/SQS/SES semantics) and cfn-lint, and
pip could not install them here. Install them where Python's package index is reachable:
    python3 -m pip install "moto[server]" cfn-lint
and make sure moto_server and cfn-lint are on PATH, then run npm test again.
MSG
    exit 1
  fi
  hash -r
  for tool in moto_server cfn-lint; do
    command -v "$tool" >/dev/null 2>&1 || { echo "pip installed the Python tools but $tool is not on PATH (add pip's script folder, e.g. ~/.local/bin)" >&2; exit 1; }
  done
fi

# The Publish function carries Pagefind's Linux ARM64 binary; tests synthesise it, so it is fetched
# here (npm registry) rather than during a test.
npx tsx "$(dirname "$0")/fetch-lambda-binaries.ts" >&2
