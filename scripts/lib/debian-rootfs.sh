# Shared by the offline image builds: sourced, not run. Needs a `say` function.

# Fails unless root; installs debootstrap when missing.
require_debootstrap() {
  [ "$(id -u)" = "0" ] || { say "building $1 from Debian packages needs root (debootstrap); run as root or make the image available another way"; exit 1; }
  if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
}

# Prints the Debian mirror apt already uses (DEBIAN_MIRROR overrides): deb822 "URIs:" lines
# first, then one-line "deb <uri> ..." entries; security mirrors are not full archives.
apt_mirror() {
  local mirror="${DEBIAN_MIRROR:-}"
  [ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1=="URIs:" && $2 !~ /security/ {print $2; exit}' || true)
  [ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' || true)
  [ -n "$mirror" ] || { say "cannot tell which Debian mirror apt uses; set DEBIAN_MIRROR"; exit 1; }
  echo "$mirror"
}

# Installs a minimal Debian <suite> with <packages> (comma-separated) into <dir>/rootfs, from <mirror>,
# and drops the package cache and lists: nothing in these images runs apt.
debootstrap_rootfs() {
  local suite=$1 dir=$2 mirror=$3 include=$4
  say "debootstrap $suite from $mirror with $include (30-60 s)"
  debootstrap --variant=minbase --include="$include" "$suite" "$dir/rootfs" "$mirror" >"$dir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$dir/debootstrap.log" >&2; say "debootstrap failed"; exit 1; }
  rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/var/lib/apt/lists/"*
}
