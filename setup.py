"""The optional compiled kernel of raqib.matching.bounds (metadata lives in pyproject.toml).

With Cython and a C compiler, ``pip install`` builds ``raqib.matching._bounds_kernel`` (editable installs
too: the module lands beside its source). Without Cython the extension is built from the generated C file
if one is there (an sdist), else left out; without a compiler the build of the extension fails quietly
(``optional=True``). Either way the install succeeds and :mod:`raqib.matching.bounds` falls back to numpy,
with the same results.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Extension, setup

SOURCE = Path("src/raqib/matching/_bounds_kernel")
# -ffp-contract=off: no fused multiply-adds, whose different rounding would drift from numpy's results.
COMPILE_ARGS = [] if sys.platform == "win32" else ["-O3", "-ffp-contract=off"]


def extensions() -> list[Extension]:
    def kernel(source: Path) -> Extension:
        return Extension(
            "raqib.matching._bounds_kernel",
            [source.as_posix()],
            extra_compile_args=COMPILE_ARGS,
            optional=True,
        )

    pyx, generated = SOURCE.with_suffix(".pyx"), SOURCE.with_suffix(".c")
    try:
        from Cython.Build import cythonize
    except ImportError:
        return [kernel(generated)] if generated.exists() else []
    if not pyx.exists():
        return [kernel(generated)] if generated.exists() else []
    built: list[Extension] = cythonize([kernel(pyx)], language_level=3, quiet=True)
    for extension in built:  # cythonize makes new Extensions and does not carry ``optional`` over
        extension.optional = True
    return built


setup(ext_modules=extensions())
