#!/usr/bin/env bash
# Builds irlint's Debian package from a build folder and proves it: `cpack -G DEB`, its control
# data (dpkg-deb -I: name, version, the libraries' packages in Depends), lintian when present (no
# error), then installs it and runs the installed binary: --version, a check of the sample model,
# the man page and the bash completion.
#   tests/package.sh BUILD_DIR     installs with dpkg -i and removes it again when CI is set or
#                                  IRLINT_PACKAGE_INSTALL=1; otherwise unpacks it (dpkg -x)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: tests/package.sh BUILD_DIR}" && pwd)"
fail() { echo "package: $*" >&2; exit 1; }

rm -f "$build"/irlint_*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log"; fail "cpack failed"; }
deb="$(ls "$build"/irlint_*.deb)"
echo "package: built $deb"
control="$(dpkg-deb -f "$deb")"
echo "$control" | sed 's/^/  /'
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libpugixml libfmt libc6 libstdc++6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
[[ "$(dpkg-deb -f "$deb" Package)" == irlint ]] || fail "package name is not irlint"
contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/irlint ./usr/share/man/man1/irlint.1.gz ./usr/share/bash-completion/completions/irlint \
         ./usr/share/doc/irlint/rules/unfusable-activation.md; do
  grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
done
if command -v lintian >/dev/null; then
  # Errors fail, except two that Debian's archive asks of a published package: the project has no
  # licence text or changelog to put in /usr/share/doc/irlint yet.
  lintian --tag-display-limit 0 --suppress-tags no-copyright-file,no-changelog \
    "$deb" >"$build/lintian.log" 2>&1 || true
  sed 's/^/  lintian: /' "$build/lintian.log"
  if grep -q '^E:' "$build/lintian.log"; then fail "lintian reports errors"; fi
else
  echo "package: lintian not installed, its check skipped"
fi

sample="$root/testdata/models/mnv3-small-int8-decomposed.xml"
if [[ -n "${CI:-}" || "${IRLINT_PACKAGE_INSTALL:-}" == 1 ]]; then
  dpkg -s irlint >/dev/null 2>&1 && fail "irlint is already installed on this machine; not replacing it"
  dpkg -i "$deb"
  trap 'dpkg -r irlint >/dev/null' EXIT
  bin=/usr/bin/irlint
  [[ -f /usr/share/man/man1/irlint.1.gz ]] || fail "the man page was not installed"
else
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
  dpkg -x "$deb" "$dir"
  bin="$dir/usr/bin/irlint"
  echo "package: unpacked into $dir (set IRLINT_PACKAGE_INSTALL=1 to install it with dpkg -i)"
fi
version="$("$bin" --version)"
echo "$version"
if [[ "$version" == *"live run: yes"* && "$depends" != *libdnnl* ]]; then
  fail "the live run is built but Depends lacks libdnnl"
fi
set +e
"$bin" check "$sample" --target openvino-2019.3:avx2 >"$build/package-check.log" 2>&1
status=$?
set -e
((status == 1)) || { cat "$build/package-check.log"; fail "the installed irlint exited $status on the sample (expected 1)"; }
grep -q unfusable-activation "$build/package-check.log" || fail "the installed irlint did not report the sample's h-swish"
echo "package: the installed irlint checks the sample model (exit 1, $(grep -c ': warning' "$build/package-check.log") warnings)"
