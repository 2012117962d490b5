# Sourced by the install scripts: installs the Debian packages given that are missing.
# apt_install_missing LABEL PACKAGE... sets APT_INSTALLED to the packages it installed (empty when
# all were there). Without root it says what is missing and exits 1.
apt_install_missing() {
  local label=$1
  shift
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  APT_INSTALLED=("${missing[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$label: ${missing[*]} missing; run as root: sudo $0" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
