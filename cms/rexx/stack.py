"""The program stack (CMS "console stack"): PUSH, QUEUE, PULL, QUEUED().

One object the host supplies, shared by every program it runs and by the
console reads of CMS: a line typed while a program runs goes to the
terminal input buffer, which PULL reads only when the stack is empty.

CMS buffers (MAKEBUF / DROPBUF / SENTRIES) are here too, because CMS
commands manipulate the same stack: ``make_buffer()`` starts a new buffer;
QUEUE adds lines at the bottom of the newest buffer, PUSH at the top of
the stack; ``drop_buffer(n)`` removes buffer n and all newer ones.
"""

from __future__ import annotations

import threading


class ProgramStack:
    def __init__(self) -> None:
        # lines[0] is the top of the stack (the next line PULL reads)
        self._lines: list[str] = []
        # _buffers[i] = number of lines below buffer i+1 (counted from the bottom)
        self._buffers: list[int] = []
        self._lock = threading.Lock()

    def push(self, line: str) -> None:
        """PUSH: put a line on top of the stack (LIFO)."""
        with self._lock:
            self._lines.insert(0, line)

    def queue(self, line: str) -> None:
        """QUEUE: put a line at the bottom of the newest buffer (FIFO)."""
        with self._lock:
            position = len(self._lines) - (self._buffers[-1] if self._buffers else 0)
            self._lines.insert(position, line)

    def pull(self) -> str | None:
        """Take the top line; None when the stack is empty."""
        with self._lock:
            if not self._lines:
                return None
            line = self._lines.pop(0)
            below = len(self._lines)
            # a buffer whose lines are all read disappears (CMS behaviour)
            while self._buffers and self._buffers[-1] > below:
                self._buffers.pop()
            return line

    def queued(self) -> int:
        """QUEUED(): number of lines on the stack."""
        return len(self._lines)

    def make_buffer(self) -> int:
        """MAKEBUF: start a new buffer; returns the number of buffers."""
        with self._lock:
            self._buffers.append(len(self._lines))
            return len(self._buffers)

    def drop_buffer(self, number: int | None = None) -> None:
        """DROPBUF [n]: drop buffer n (default: the newest) and newer ones."""
        with self._lock:
            if not self._buffers:
                if number in (None, 0):
                    self._lines.clear()
                return
            if number is None:
                number = len(self._buffers)
            number = max(number, 0)
            if number == 0:
                self._lines.clear()
                self._buffers.clear()
                return
            if number > len(self._buffers):
                return
            keep_below = self._buffers[number - 1]
            del self._lines[: len(self._lines) - keep_below]
            del self._buffers[number - 1 :]

    def buffers(self) -> int:
        return len(self._buffers)

    def clear(self) -> None:
        """DESBUF: drop every line and buffer."""
        with self._lock:
            self._lines.clear()
            self._buffers.clear()

    def lines(self) -> list[str]:
        """A copy of the stack, top first (for hosts and tests)."""
        return list(self._lines)
