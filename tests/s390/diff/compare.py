"""Helpers shared by the corpus recorder and the differential test."""

from tests.s390.diff import gen


def changed_runs(image, final):
    """``final`` maps range start -> bytes. Returns [[addr, hex], ...]: the
    runs of bytes that differ from the initial ``image``."""
    runs = []
    for start, data in sorted(final.items()):
        i = 0
        while i < len(data):
            if data[i] == image[start + i]:
                i += 1
                continue
            j = i
            while j < len(data) and data[j] != image[start + j]:
                j += 1
            runs.append([start + i, bytes(data[i:j]).hex().upper()])
            i = j
    return runs


def final_ranges(mem):
    """The compared storage ranges of a finished machine."""
    return {addr: bytes(mem[addr : addr + length]) for addr, length in gen.COMPARE_RANGES}
