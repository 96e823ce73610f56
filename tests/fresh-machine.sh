#!/usr/bin/env bash
# Proves the README from nothing: makes a minimal Debian 12 root (debootstrap --variant=minbase,
# from this machine's configured apt source), copies this checkout and ../shared into it, and
# runs the README's two set-up commands there, copied from README.md as they are written:
#   1. builds irlint and checks the sample model: must print the 2019 R3 story and exit 1;
#   2. builds and runs the whole test suite: must exit 0.
# Needs root (debootstrap, chroot, mounts). The root is kept in build-fresh/ (ignored by git) and
# made anew on each run.
#   tests/fresh-machine.sh            env: IRLINT_FRESH_DIR (default build-fresh), IRLINT_SHARED
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${IRLINT_FRESH_DIR:-$root/build-fresh}"
shared="${IRLINT_SHARED:-$root/../shared}"
chroot_dir="$work/root"
log() { echo "fresh-machine: $*"; }

# The README's commands: the first line of each of its first two ```sh blocks.
mapfile -t commands < <(awk '/^```sh$/ {getline; print; n++} n == 2 {exit}' "$root/README.md")
if ((${#commands[@]} != 2)) || [[ "${commands[0]}" != .ci/setup* || "${commands[1]}" != .ci/setup* ]]; then
  log "README.md does not open with its two set-up commands in \`\`\`sh blocks"
  exit 1
fi
if ((EUID != 0)); then
  log "needs root (debootstrap, chroot)"
  exit 1
fi
command -v debootstrap >/dev/null || { log "debootstrap is not installed (.ci/setup installs it)"; exit 1; }

# The machine's configured Debian mirror (deb822 sources or the classic sources.list).
mirror="$(sed -n 's/^URIs: *\(\S*debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
[[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
[[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian

unmount() {
  for m in dev/pts dev proc sys; do
    mountpoint -q "$chroot_dir/$m" && umount -l "$chroot_dir/$m"
  done
  return 0
}
trap unmount EXIT
unmount
rm -rf "$chroot_dir"
mkdir -p "$work"
log "debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; exit 1; }
# The same apt sources as this machine (security updates included), and its name resolution.
if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
  cp /etc/apt/sources.list.d/*.sources "$chroot_dir/etc/apt/sources.list.d/"
  : >"$chroot_dir/etc/apt/sources.list"
fi
cp -L /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
# The machine's own trust, as every new machine of its kind has it: its local CA certificates
# (added to the bundle when .ci/setup installs ca-certificates) and npm's global configuration.
mkdir -p "$chroot_dir/usr/local/share/ca-certificates"
cp -a /usr/local/share/ca-certificates/. "$chroot_dir/usr/local/share/ca-certificates/" 2>/dev/null || true
if [[ -f /etc/npmrc ]]; then cp /etc/npmrc "$chroot_dir/etc/npmrc"; fi

# This checkout as git sees it (tracked and untracked files, not ignored ones such as build/),
# and the shared corpus beside it, as a fresh clone would have them.
mkdir -p "$chroot_dir/work/irlint" "$chroot_dir/work/shared"
git -C "$root" ls-files -z --cached --others --exclude-standard |
  (cd "$root" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$chroot_dir/work/irlint"
[[ -d "$shared" ]] && cp -a "$shared/." "$chroot_dir/work/shared/"

mount -t proc proc "$chroot_dir/proc"
mount -t sysfs sys "$chroot_dir/sys"
mount --bind /dev "$chroot_dir/dev"
mount --bind /dev/pts "$chroot_dir/dev/pts"

run() {  # run COMMAND inside the root, as a fresh login would: clean environment, root's home
  chroot "$chroot_dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI="${CI:-}" \
    IRLINT_FRESH_MACHINE=1 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /work/irlint && $1"
}

log "1/2: ${commands[0]}"
start=$SECONDS
set +e
run "${commands[0]}" >"$work/first.log" 2>&1
status=$?
set -e
log "first command: exit $status in $((SECONDS - start)) s (log: $work/first.log)"
for expected in unfusable-activation depthwise-fallback reorder-insertion int8-slower-than-fp32; do
  if ! grep -q "$expected" "$work/first.log"; then
    tail -30 "$work/first.log"
    log "the first command did not print the sample story (no '$expected')"
    exit 1
  fi
done
if ((status != 1)); then
  tail -30 "$work/first.log"
  log "the first command exited $status; the README says 1 (the sample has warnings)"
  exit 1
fi

log "2/2: ${commands[1]}"
start=$SECONDS
if ! run "${commands[1]}" >"$work/second.log" 2>&1; then
  tail -60 "$work/second.log"
  log "the second command failed after $((SECONDS - start)) s (log: $work/second.log)"
  exit 1
fi
log "second command: passed in $((SECONDS - start)) s (log: $work/second.log)"
log "the README's two commands work on a fresh Debian 12"
