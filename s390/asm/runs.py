"""Object code held as runs of a repeated pattern.

A constant such as ``DC 16000000X'00'`` or ``DC 4000CL80' '`` is its pattern
times its duplication factor: Runs keeps (pattern, count) pairs, so a large
duplicated constant costs its pattern, not one Python object per byte.  Runs
behaves like read-only bytes where the assembler needs it: ``len``, slicing
(``runs[a:b]`` gives bytes), ``bytes(runs)``, ``hex``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator


class Runs:
    __slots__ = ("_length", "_runs", "_starts")

    def __init__(self, data: bytes = b"") -> None:
        self._runs: list[tuple[bytes | bytearray, int]] = []
        self._starts: list[int] = []
        self._length = 0
        if data:
            self.append(data)

    @classmethod
    def zeros(cls, length: int) -> Runs:
        runs = cls()
        runs.append(b"\0", length)
        return runs

    def append(self, pattern: bytes, count: int = 1) -> None:
        """Add ``pattern`` repeated ``count`` times."""
        if not pattern or count <= 0:
            return
        if count == 1 and self._runs and self._runs[-1][1] == 1:
            self._runs[-1][0].extend(pattern)  # single pieces join into one run
        else:
            self._starts.append(self._length)
            self._runs.append((bytearray(pattern) if count == 1 else bytes(pattern), count))
        self._length += len(pattern) * count

    def extend(self, other: Runs | bytes) -> None:
        if isinstance(other, Runs):
            for pattern, count in other._runs:
                self.append(pattern, count)
        else:
            self.append(other)

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __bytes__(self) -> bytes:
        return b"".join(pattern * count for pattern, count in self._runs)

    def __eq__(self, other) -> bool:
        if isinstance(other, (Runs, bytes, bytearray)):
            return len(self) == len(other) and bytes(self) == bytes(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Runs({self._length} bytes in {len(self._runs)} runs)"

    def hex(self) -> str:
        return bytes(self).hex()

    def __getitem__(self, key) -> bytes:
        if not isinstance(key, slice):
            if key < 0:
                key += self._length
            return self[key : key + 1][0]
        start, stop, step = key.indices(self._length)
        if step != 1:
            return bytes(self)[key]
        return self._slice(start, stop)

    def _slice(self, start: int, stop: int) -> bytes:
        out = bytearray()
        i = max(0, bisect_right(self._starts, start) - 1)
        while start < stop and i < len(self._runs):
            pattern, count = self._runs[i]
            run_start = self._starts[i]
            run_stop = run_start + len(pattern) * count
            if start >= run_stop:
                i += 1
                continue
            lo, hi = start - run_start, min(stop, run_stop) - run_start
            out += pattern[lo:hi] if count == 1 else _repeated_window(pattern, lo, hi)
            start = run_start + hi
            i += 1
        return bytes(out)

    def chunks(self, size: int) -> Iterator[tuple[int, bytes]]:
        """(offset, bytes) pieces of ``size`` bytes (the last may be shorter)."""
        for offset in range(0, self._length, size):
            yield offset, self._slice(offset, min(offset + size, self._length))


def _repeated_window(pattern: bytes, lo: int, hi: int) -> bytes:
    """Bytes lo..hi of ``pattern`` repeated without end."""
    n = len(pattern)
    if n == 1:
        return pattern * (hi - lo)
    first = lo // n
    last = -(-hi // n)
    return (pattern * (last - first))[lo - first * n : hi - first * n]
