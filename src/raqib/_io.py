"""Writing files so that a failure never leaves half of one: write beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from raqib.errors import InvalidInput


@contextmanager
def atomic_text_output(path: Path, make_parents: bool = False) -> Iterator[IO[str]]:
    """A UTF-8 text stream whose content replaces ``path`` only when the ``with`` block succeeds.

    Args:
        path: The file to write.
        make_parents: Create missing parent folders; otherwise a missing folder is an
            :class:`~raqib.errors.InvalidInput` naming the path.
    """
    directory = path.parent if str(path.parent) else Path()
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    elif not directory.is_dir():
        raise InvalidInput(f"{path}: the output folder does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["atomic_text_output"]
