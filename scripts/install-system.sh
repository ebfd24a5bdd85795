#!/usr/bin/env bash
# Install the system programs sopdoc needs, only those that are missing:
# graphviz (dot), LibreOffice Writer and Calc (soffice), Liberation fonts, poppler-utils,
# libcairo2 (for cairosvg), zbar-tools (to test QR codes), and python3-venv, which a fresh Debian lacks.
# With the argument "test" it also installs what only the tests need: Debian's Chromium,
# which the studio's browser tests drive with Playwright.
set -euo pipefail
group=${1:-}

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# The soffice launcher can outlive the Writer component it needs; ask dpkg for Writer.
writer_installed() {
  for pkg in libreoffice-writer-nogui libreoffice-writer; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] && return 0
  done
  return 1
}
calc_installed() {
  for pkg in libreoffice-calc-nogui libreoffice-calc; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] && return 0
  done
  return 1
}
if command -v dpkg-query >/dev/null 2>&1; then
  writer_installed || missing+=(libreoffice-writer-nogui)
  # Calc turns the Excel workbooks into PDF in the print check (sopdoc excel).
  calc_installed || missing+=(libreoffice-calc-nogui)
else
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
fi
# Read fc-list whole: with pipefail, grep -q closing the pipe early would fail the test.
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Liberation Sans" <<<"$fonts" || missing+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# The signing tests read the QR code back from the rasterised page with zbarimg.
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
# cairosvg rasterises graphviz's drawings with the system cairo library. Ask dpkg: ldconfig
# lives in /sbin, which is not on a normal user's PATH, so it would report cairo missing every time.
if command -v dpkg-query >/dev/null 2>&1; then
  [ "$(dpkg-query -W -f='${Status}' libcairo2 2>/dev/null)" = "install ok installed" ] || missing+=(libcairo2)
else
  libs=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)
  grep -q "libcairo.so.2" <<<"$libs" || missing+=(libcairo2)
fi
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
if [ "$group" = "test" ]; then
  # Playwright's own browser download does not work offline; the tests use /usr/bin/chromium.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  extra=""
  [ "$group" = "test" ] && extra=", chromium"
  echo "Program sistem sudah lengkap (graphviz, LibreOffice Writer dan Calc, fonts-liberation, poppler-utils," \
       "zbar-tools, fontconfig, libcairo2, python3-venv$extra)."
  exit 0
fi

echo "Memasang paket sistem: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
