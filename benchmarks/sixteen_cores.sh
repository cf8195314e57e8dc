#!/usr/bin/env bash
# Issue 12's 16-core curve on the device machine (Python 3.12 with pandas, pyarrow, rich and
# pyyaml; no network): here, `prepare` puts the wheels it lacks in .whl/ (git-ignored); there,
# `run` installs them and prints the whole curve. Both from the repository's root:
#
#   bash benchmarks/sixteen_cores.sh prepare            # here: 22 MB of wheels in .whl/
#   bash benchmarks/sixteen_cores.sh run --sizes 10 --curve 1 2 --repeat 1
#       # a rehearsal here, with python3 a Python 3.12 holding only the device's packages
#   device run, carry [".whl"], command: bash benchmarks/sixteen_cores.sh run   # there
#
# `run`'s arguments go to batch_throughput.py (default: the 200 MB curve at 1, 2, 4, 8 and 16
# workers, 16 copies of --jobs 1 at once, and the memory of 16 workers: about 3 minutes there).
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS=.whl
PYTHON312=${PYTHON312:-python3.12}

prepare() {
    grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
    rm -rf "$WHEELS" && mkdir -p "$WHEELS"
    # policyterms with its C extension, built for 3.12; jieba has no wheel on PyPI: built here.
    "$PYTHON312" -m pip wheel --quiet --no-deps -w "$WHEELS" . 'jieba==0.42.1'
    # What a count run imports that the machine lacks, at the versions pyproject.toml allows
    # (typer below 0.29: the machine's newer typer validates options through pydantic).
    "$PYTHON312" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d "$WHEELS" 'typer==0.28.0' 'annotated-doc' 'ahocorasick-rs==1.0.3' 'opencc==1.4.2'
    ls -l "$WHEELS"
}

run() {
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$WHEELS"/*.whl
    python3 -m compileall -q /tmp/site > /dev/null || true  # else every run's start-up compiles them
    unset PYTHONDONTWRITEBYTECODE
    export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
    local root=$PWD
    cd /tmp  # not the checkout: its policyterms/ (no C extension built for 3.12) would be imported instead
    python3 -c 'import policyterms._speedups, typer; print("policyterms from", policyterms.__file__, "with its C extension; typer", typer.__version__)'
    echo "cores: $(nproc)"
    if [ $# -eq 0 ]; then
        set -- --sizes 200 --curve 1 2 4 8 16 --repeat 1 --pss-jobs 16 --naive-mb 10
    fi
    python3 "$root/benchmarks/batch_throughput.py" --workdir /tmp/corpus "$@"
    if [ -n "${OUT:-}" ]; then cp "$root"/benchmarks/results/batch_throughput-*.json "$OUT"/; fi
}

case "${1:-}" in
    prepare) prepare ;;
    run) shift; run "$@" ;;
    *) echo "usage: bash benchmarks/sixteen_cores.sh prepare | run [batch_throughput.py's options]" >&2; exit 2 ;;
esac
