# Sourced by scripts/test and scripts/start: make .venv (Python 3.11) and install a requirements file.
# usage: ensure_venv REQUIREMENTS_FILE

ensure_venv() {
    local requirements="$1" python=""
    if ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1; then
        for candidate in python3.11 python3; do
            if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
        done
        if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
            # Debian's python3 keeps venv/ensurepip in a separate package
            apt_install python3 python3-venv
            python=python3
        fi
        echo "==> creating .venv with $("$python" --version 2>&1)"
        rm -rf .venv
        "$python" -m venv .venv
    fi
    echo "==> pip install -r $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" 2> >(grep -v "^WARNING: Location 'file://" >&2)
}

# apt_install PACKAGE...: apt-get update once, then install non-interactively and quietly.
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
            echo "error: need root (or sudo) to install: $*" >&2; return 1
        fi
    fi
    echo "==> apt-get install $*"
    if [ -z "${_APT_UPDATED:-}" ]; then
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _APT_UPDATED=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >/dev/null
}
