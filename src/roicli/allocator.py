"""Memory settings for big exports: freed arrays are reused, not given back and zeroed again.

Each step over a ten-million-row export makes and drops arrays of tens of megabytes. By
default glibc maps every block over 32 MiB afresh from the kernel and unmaps it once freed,
Arrow's own allocator hands freed pages back too, and NumPy asks for 2 MiB huge pages; the
kernel zeroes every fresh page on first touch (a whole huge page at a time). On a 10M-row
export that zeroing took a third of the CPU time. Served from glibc's heap (Arrow's too) and
kept there, the blocks are reused as they are. One heap serves every thread: the memory
pyarrow's reader threads free is then reused by the NumPy work that follows, not left in
their own heaps (on a 1M-row export: 14,000 fresh pages fewer, a third of the normalising).
"""

from __future__ import annotations

import ctypes
import os
import sys

# mallopt parameters, from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
M_ARENA_MAX = -8
KEEP_FREED_BYTES = 2**31 - 1  # mallopt takes a C int: keep up to 2 GiB free in the heap
# Read when pyarrow and numpy are first imported; a value the user set is left alone.
# OpenBLAS's idle threads spin on the cores pyarrow parses with; roicli's algebra is tiny.
LIBRARY_SETTINGS = {
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "NUMPY_MADVISE_HUGEPAGE": "0",
    "OPENBLAS_NUM_THREADS": "1",
}


def reuse_freed_memory() -> bool:
    """Keep freed memory for reuse; False where the C library is not glibc (nothing changed).

    Call it once, before pyarrow or numpy is imported. It lasts for the rest of the process (a
    single command): the memory is given back when the process ends.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # a static build, or a C library without mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = ((M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, KEEP_FREED_BYTES), (M_ARENA_MAX, 1))
    if not all(mallopt(parameter, value) for parameter, value in settings):
        return False
    for name, value in LIBRARY_SETTINGS.items():
        os.environ.setdefault(name, value)
    return True
