"""The watchlists shipped inside the package, so a fresh machine can start offline."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path


@contextmanager
def bundled_list_paths() -> Iterator[list[Path]]:
    """Decompress each bundled list into a temporary folder and yield one path per list.

    A list published as one file yields that file; a list published as a set of files (the OFAC
    CSV set) yields its folder, as ``raqib lists import`` expects.
    """
    root = resources.files("raqib") / "data" / "lists"
    with tempfile.TemporaryDirectory(prefix="raqib-bundled-") as tmp:
        paths = []
        for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name):
            target = Path(tmp) / folder.name
            target.mkdir()
            files = []
            for item in sorted(folder.iterdir(), key=lambda p: p.name):
                if not item.name.endswith(".gz"):
                    continue
                out = target / item.name.removesuffix(".gz")
                with item.open("rb") as raw, gzip.open(raw) as src, out.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                files.append(out)
            paths.append(files[0] if len(files) == 1 else target)
        yield paths


__all__ = ["bundled_list_paths"]
