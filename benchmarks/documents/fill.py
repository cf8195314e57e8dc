"""Copy every text the manifest names into benchmarks/documents/texts/ID/BASENAME.

Each text is read from a local snapshot of its repository — ``$POLICYTERMS_MIRRORS/OWNER+NAME/repo``
(a bare git directory; default ``/work/.mirror``) — at the commit the manifest names, and
otherwise downloaded from GitHub at that commit. Texts already there are left as they are.

    python benchmarks/documents/fill.py [--only ID_PREFIX]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from manifest import TEXTS, Entry, load_manifest  # noqa: E402

MIRRORS = Path(os.environ.get("POLICYTERMS_MIRRORS", "/work/.mirror"))


def from_mirror(entry: Entry) -> bytes | None:
    git_dir = MIRRORS / entry.repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return None
    done = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{entry.commit}:{entry.path}"],
                          capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None


def from_github(entry: Entry) -> bytes:
    url = (f"https://raw.githubusercontent.com/{entry.repo}/{entry.commit}/"
           f"{urllib.parse.quote(entry.path)}")
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a fixed https host)
        return response.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="only the ids that start with this")
    args = parser.parse_args()
    entries = [e for e in load_manifest() if e.id.startswith(args.only)]
    copied = present = failed = 0
    for entry in entries:
        target = TEXTS / entry.id / entry.basename
        if target.exists():
            present += 1
            continue
        try:
            data = from_mirror(entry) or from_github(entry)
        except OSError as error:
            print(f"{entry.id}: {entry.repo}@{entry.commit[:10]}:{entry.path}: {error}", file=sys.stderr)
            failed += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        copied += 1
    print(f"{copied} copied, {present} already there, {failed} failed, of {len(entries)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
