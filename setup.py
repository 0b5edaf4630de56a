"""Build and install vm370.

The S/370 CPU core is written in Cython's pure-Python mode: each hot module is
an ordinary ``.py`` with an augmenting ``.pxd`` beside it.  When Cython and a C
compiler are available every such module is compiled (the normal path); when
either is missing the same ``.py`` files run uncompiled, slower but correct.
"""

import os
from pathlib import Path

from setuptools import Extension, find_packages, setup

HERE = Path(__file__).parent
# Packages whose .py+.pxd pairs are compiled.
COMPILED_PACKAGES = ("s390", "cms.rexx")
DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
    "nonecheck": False,
    "infer_types": True,
}

# The run loop's fast forms are small inline C functions; gcc's default
# growth limits leave many of them out of line in the one big loop function.
COMPILE_ARGS = [
    "-O3",
    "--param=max-inline-insns-single=1000",
    "--param=large-function-growth=2000",
    "--param=inline-unit-growth=200",
]


def cython_extensions():
    if os.environ.get("VM370_PURE"):  # force the uncompiled build
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    exts = []
    for pkg in COMPILED_PACKAGES:
        folder = HERE.joinpath(*pkg.split("."))
        for pxd in sorted(folder.glob("*.pxd")):
            py = pxd.with_suffix(".py")
            if not py.exists():
                continue
            # Cython does not notice a changed .pxd (or a .pxi or .h it
            # includes, the generated dispatch) alone: touch the .py.
            newest = max(
                p.stat().st_mtime for p in [pxd, *folder.glob("*.pxi"), *folder.glob("*.h")]
            )
            if newest > py.stat().st_mtime:
                py.touch()
            mod = f"{pkg}.{py.stem}"
            exts.append(
                Extension(
                    mod, [str(py.relative_to(HERE))], optional=True, extra_compile_args=COMPILE_ARGS
                )
            )
    if not exts:
        return []
    return cythonize(exts, compiler_directives=DIRECTIVES, nthreads=os.cpu_count() or 1, quiet=True)


setup(
    name="vm370",
    version="0.1.0",
    description="A z/VM-style virtual machine monitor for the IBM System/370",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    packages=find_packages(include=["s390*", "cp*", "cms*", "tui*", "vm370*", "decks*", "tcpip*"]),
    package_data={
        "": ["*.pxd", "*.json", "*.direct", "*.tcss", "*.deck", "data/*", "data/**/*"],
        "decks": ["src/*.asm", "jobs/*.job", "tour/*.exec"],
        "cms": ["system/*.maclib", "system/*.local", "system/*.data", "system/*/*"],
    },
    include_package_data=True,
    ext_modules=cython_extensions(),
    install_requires=["textual>=0.80", "greenlet>=3", "fpdf2>=2.7", "dpkt>=1.9"],
    extras_require={
        "test": [
            "pytest>=8,<9",
            "pytest-asyncio>=0.23",
            "pytest-textual-snapshot>=1.0",
            "tnz>=0.6",
            "hypothesis>=6",
            "ruff>=0.6",
        ],
    },
    entry_points={"console_scripts": ["vm370=vm370.cli:main"]},
)
