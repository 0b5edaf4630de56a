"""Variable pools: simple variables, stems and compound variables.

A pool belongs to a routine activation.  PROCEDURE makes a new pool;
PROCEDURE EXPOSE links names (simple names, stems ``A.`` or single compound
names ``A.1``) to the caller's pool (TRL2 "PROCEDURE").  A stem assignment
``A. = v`` gives every compound of the stem the value v and forgets earlier
ones; DROP of a compound under such a stem makes it unset again, which the
``UNSET`` mark records.
"""

from __future__ import annotations

#: A compound that was dropped while its stem has a default value.
UNSET = None


class Stem:
    __slots__ = ("default", "tails")

    def __init__(self, default: str | None = None, tails: dict | None = None):
        self.default = default
        self.tails: dict[str, str | None] = {} if tails is None else tails


class VariablePool:
    """The variables of one routine activation."""

    def __init__(self) -> None:
        self.simple: dict[str, str] = {}
        self.stems: dict[str, Stem] = {}
        self.exposed: dict[str, VariablePool] = {}

    # --- exposure -------------------------------------------------------
    def expose(self, name: str, caller: "VariablePool") -> None:
        """Link ``name`` (X, A. or A.tail) to the caller's variable.  A simple
        name links straight to the pool that owns it (a caller's exposures
        never change), so a recursion that exposes X does not walk a chain
        as long as the recursion on every use."""
        if "." not in name:
            caller = caller._owner_simple(name)
        self.exposed[name] = caller

    def _owner_simple(self, name: str) -> "VariablePool":
        pool = self
        while name in pool.exposed:
            pool = pool.exposed[name]
        return pool

    def _owner_compound(self, stem: str, tail: str) -> "VariablePool":
        pool = self
        while True:
            if pool.exposed:
                key = stem + tail
                if key in pool.exposed:
                    pool = pool.exposed[key]
                    continue
                if stem in pool.exposed:
                    pool = pool.exposed[stem]
                    continue
            return pool

    # --- simple ----------------------------------------------------------
    def get(self, name: str) -> str | None:
        pool = self._owner_simple(name) if self.exposed else self
        return pool.simple.get(name)

    def set(self, name: str, value: str) -> None:
        pool = self._owner_simple(name) if self.exposed else self
        pool.simple[name] = value

    def drop(self, name: str) -> None:
        pool = self._owner_simple(name) if self.exposed else self
        pool.simple.pop(name, None)

    # --- stems and compounds --------------------------------------------------
    def get_compound(self, stem: str, tail: str) -> str | None:
        pool = self._owner_compound(stem, tail)
        entry = pool.stems.get(stem)
        if entry is None:
            return None
        if tail in entry.tails:
            return entry.tails[tail]
        return entry.default

    def set_compound(self, stem: str, tail: str, value: str) -> None:
        pool = self._owner_compound(stem, tail)
        entry = pool.stems.get(stem)
        if entry is None:
            entry = pool.stems[stem] = Stem()
        entry.tails[tail] = value

    def drop_compound(self, stem: str, tail: str) -> None:
        pool = self._owner_compound(stem, tail)
        entry = pool.stems.get(stem)
        if entry is None:
            return
        if entry.default is None:
            entry.tails.pop(tail, None)
        else:
            entry.tails[tail] = UNSET

    def _owner_stem(self, stem: str) -> "VariablePool":
        pool = self
        while stem in pool.exposed:
            pool = pool.exposed[stem]
        return pool

    def get_stem(self, stem: str) -> str | None:
        entry = self._owner_stem(stem).stems.get(stem)
        return None if entry is None else entry.default

    def set_stem(self, stem: str, value: str) -> None:
        self._owner_stem(stem).stems[stem] = Stem(default=value)

    def drop_stem(self, stem: str) -> None:
        self._owner_stem(stem).stems.pop(stem, None)

    def stem_entry(self, stem: str) -> Stem | None:
        return self._owner_stem(stem).stems.get(stem)

    # --- enumeration (EXECCOMM "next") -----------------------------------------
    def names(self) -> list[tuple[str, str]]:
        """(name, value) of every set variable visible here, for hosts."""
        result = []
        for name, value in self.simple.items():
            result.append((name, value))
        for stem, entry in self.stems.items():
            if entry.default is not None:
                result.append((stem, entry.default))
            for tail, value in entry.tails.items():
                if value is not None:
                    result.append((stem + tail, value))
        for name, pool in self.exposed.items():
            if name.endswith(".") and "." not in name[:-1]:
                entry = pool.stem_entry(name)
                if entry is not None:
                    result.extend((name + t, v) for t, v in entry.tails.items() if v is not None)
            elif "." not in name:
                value = pool.get(name)
                if value is not None:
                    result.append((name, value))
        return result
