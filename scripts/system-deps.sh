#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when they are missing: PostgreSQL for
# the store's parity tests, Chromium for the browser tests (Playwright drives it and must never
# download a browser of its own), and a font with Cyrillic and Kazakh letters for its pages.
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

have_chromium() {
    [ -x /usr/bin/chromium ]
}

have_dejavu() {
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]
}

missing=()
have_postgres || missing+=(postgresql)
have_chromium || missing+=(chromium)
have_dejavu || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Kelisim's tests need: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
