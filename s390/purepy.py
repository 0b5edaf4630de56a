"""The pure-mode switch: run the uncompiled ``.py`` modules of ``s390``.

The compiled core is the normal path; the same sources also run as plain
Python (Cython pure-Python mode).  ``VM370_PURE=1`` in the environment makes
the ``s390`` package import the ``.py`` of every module that has a ``.pxd``
even when a compiled ``.so`` sits beside it (the finder below is installed by
``s390/__init__.py``).  Tests load both builds side by side with
``load_pure()``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
#: Compiled modules in the order a pure load needs them (dependencies first).
COMPILED_MODULES = ("s390.decimal", "s390.hfp", "s390.cpu")


def pure_requested() -> bool:
    return os.environ.get("VM370_PURE", "") not in ("", "0")


def _source_of(fullname: str) -> Path | None:
    """The .py of an s390 module that has a .pxd (i.e. is compiled)."""
    if not fullname.startswith("s390."):
        return None
    rel = Path(*fullname.split(".")[1:])
    py = PACKAGE_DIR / rel.with_suffix(".py")
    if py.exists() and py.with_suffix(".pxd").exists():
        return py
    return None


class PreferSourceFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder that resolves compiled s390 modules to their .py."""

    def find_spec(self, fullname, path=None, target=None):
        py = _source_of(fullname)
        if py is None:
            return None
        return importlib.util.spec_from_file_location(fullname, py)


def install() -> None:
    """Install the finder (once) when VM370_PURE asks for it."""
    if pure_requested() and not any(isinstance(f, PreferSourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, PreferSourceFinder())


def is_compiled(module) -> bool:
    return not str(getattr(module, "__file__", "")).endswith(".py")


def import_cpu():
    """s390.cpu as the environment selects it (compiled unless VM370_PURE)."""
    return importlib.import_module("s390.cpu")


def load_pure(name: str = "s390.cpu"):
    """A fresh module object executed from ``name``'s .py, with its compiled
    s390 dependencies also taken from their .py, without disturbing the
    modules already in sys.modules."""
    package = sys.modules["s390"]
    short = {m: m.rsplit(".", 1)[1] for m in COMPILED_MODULES}
    saved = {m: sys.modules.get(m) for m in COMPILED_MODULES}
    saved_attrs = {m: getattr(package, short[m], None) for m in COMPILED_MODULES}
    try:
        for dep in COMPILED_MODULES:
            spec = importlib.util.spec_from_file_location(dep, _source_of(dep))
            module = importlib.util.module_from_spec(spec)
            sys.modules[dep] = module
            setattr(package, short[dep], module)  # ``from s390 import x`` reads this
            spec.loader.exec_module(module)
            if dep == name:
                return module
        raise ValueError(f"{name} is not a compiled s390 module")
    finally:
        for m, mod in saved.items():
            if mod is None:
                sys.modules.pop(m, None)
            else:
                sys.modules[m] = mod
            if saved_attrs[m] is None:
                if hasattr(package, short[m]):
                    delattr(package, short[m])
            else:
                setattr(package, short[m], saved_attrs[m])


def build_info() -> dict:
    """Which build of the CPU is active, for ``python -m s390 info``."""
    cpu = import_cpu()
    info = {
        "build": "compiled" if is_compiled(cpu) else "pure",
        "cpu_module": cpu.__file__,
        "VM370_PURE": os.environ.get("VM370_PURE", ""),
    }
    try:
        import Cython

        info["cython"] = Cython.__version__
    except ImportError:
        info["cython"] = None
    return info


class _NoOpContext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class cython_shadow:
    """The Cython names s390/cpu.py uses, for running where Cython is not
    installed at all (with Cython installed, its own shadow module is used)."""

    compiled = False
    nogil = _NoOpContext()
    gil = _NoOpContext()
