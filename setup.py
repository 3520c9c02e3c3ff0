"""The optional compiled kernels of raqib.matching (metadata lives in pyproject.toml).

With Cython and a C compiler, ``pip install`` builds ``raqib.matching._bounds_kernel`` (for
:mod:`raqib.matching.bounds`) and ``raqib.matching._keys_kernel`` (for :mod:`raqib.matching.blocking`);
editable installs too: the modules land beside their sources. Without Cython an extension is built from
its generated C file if one is there (an sdist), else left out; without a compiler the build of an
extension fails quietly (``optional=True``). Either way the install succeeds and the modules fall back to
their numpy and Python code, with the same results.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Extension, setup

SOURCES = {
    "raqib.matching._bounds_kernel": Path("src/raqib/matching/_bounds_kernel"),
    "raqib.matching._keys_kernel": Path("src/raqib/matching/_keys_kernel"),
}
# -ffp-contract=off: no fused multiply-adds, whose different rounding would drift from numpy's results.
COMPILE_ARGS = [] if sys.platform == "win32" else ["-O3", "-ffp-contract=off"]


def extensions() -> list[Extension]:
    def kernel(name: str, source: Path) -> Extension:
        return Extension(name, [source.as_posix()], extra_compile_args=COMPILE_ARGS, optional=True)

    try:
        from Cython.Build import cythonize
    except ImportError:
        cythonize = None
    built: list[Extension] = []
    for name, source in SOURCES.items():
        pyx, generated = source.with_suffix(".pyx"), source.with_suffix(".c")
        if cythonize is not None and pyx.exists():
            built += cythonize([kernel(name, pyx)], language_level=3, quiet=True)
        elif generated.exists():
            built.append(kernel(name, generated))
    for extension in built:  # cythonize makes new Extensions and does not carry ``optional`` over
        extension.optional = True
    return built


setup(ext_modules=extensions())
