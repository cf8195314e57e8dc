"""After `pip install .` (not editable) the default vocabulary and the compiled normalizer ship inside the package."""

import subprocess
import sys
import zipfile

from conftest import ROOT, SEEDS


def test_wheel_ships_the_default_vocabulary_and_counts_from_elsewhere(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("policyterms-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "policyterms/vocabularies/future-industries.yaml" in names
    assert "policyterms/fold_tables.json" in names  # else every process computes them again
    assert any(name.startswith("policyterms/_speedups.") for name in names)  # normalize.py's C loops, compiled
    assert not any(name.startswith(("tests/", "seeds/")) for name in names)

    # Install the wheel alone into a folder and run it from another directory: the dependencies
    # come from this interpreter, the package and its vocabulary only from the wheel.
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    code = (
        "import sys, policyterms;"
        "assert policyterms.__file__.startswith(sys.argv[1]), policyterms.__file__;"
        "r = policyterms.count([sys.argv[2]]);"
        "print(int(r.totals.loc[r.totals.term == '未来产业', 'count'].iloc[0]))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); exec({code!r})", str(target), str(SEEDS)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
