"""Tune the C allocator for big exports: freed arrays are kept for reuse, not given back.

Each step over a ten-million-row export makes and drops arrays of tens of megabytes. By
default glibc maps every block over 32 MiB afresh from the kernel, which zeroes each page on
first touch, and unmaps it once freed; on a 10M-row export that zeroing took a third of the run.
Served from the heap and kept there, the blocks are reused as they are.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt parameters, from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
KEEP_FREED_BYTES = 2**31 - 1  # mallopt takes a C int: keep up to 2 GiB free in the heap


def reuse_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse; False where there is no such malloc.

    Call it once, before the data is read. It lasts for the rest of the process (a single
    command): the memory is given back when the process ends.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # a static build, or a C library without mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_MAX, 0)) and bool(mallopt(M_TRIM_THRESHOLD, KEEP_FREED_BYTES))
