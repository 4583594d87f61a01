"""The allocator tuning of the console script (run in a child: it lasts for the process)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from roicli.allocator import LIBRARY_SETTINGS

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


def run_python(code: str) -> str:
    """What a fresh interpreter prints, with none of the settings preset in its environment."""
    env = {name: value for name, value in os.environ.items() if name not in LIBRARY_SETTINGS}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    return done.stdout.strip()


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_glibc_keeps_big_freed_blocks_for_reuse() -> None:
    # A 64 MiB array is mapped afresh from the kernel by default, and from the heap once tuned:
    # the heap's top (the program break) moves only in the second case.
    probe = (
        "import ctypes, numpy\n"
        "from roicli.allocator import reuse_freed_memory\n"
        "sbrk = ctypes.CDLL(None).sbrk\n"
        "sbrk.restype = ctypes.c_void_p\n"
        "def grows():\n"
        "    before = sbrk(0)\n"
        "    block = numpy.ones(8 << 20)\n"
        "    return sbrk(0) - before > block.nbytes // 2\n"
        "print(grows(), reuse_freed_memory(), grows())\n"
    )
    assert run_python(probe) == "False True True"


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_memory_another_thread_freed_is_reused() -> None:
    # pyarrow's reader threads free what they parsed with; the NumPy work after reuses it only
    # when every thread allocates from the one heap (else the main heap grows for it).
    probe = (
        "import ctypes, threading, numpy\n"
        "from roicli.allocator import reuse_freed_memory\n"
        "reuse_freed_memory()\n"
        "sbrk = ctypes.CDLL(None).sbrk\n"
        "sbrk.restype = ctypes.c_void_p\n"
        "def work():\n"
        "    block = numpy.ones(2 << 20)\n"
        "    del block\n"
        "thread = threading.Thread(target=work)\n"
        "thread.start()\n"
        "thread.join()\n"
        "before = sbrk(0)\n"
        "block = numpy.ones(2 << 20)\n"
        "print(sbrk(0) - before < block.nbytes // 2)\n"
    )
    assert run_python(probe) == "True"


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_numpy_and_arrow_are_told_to_reuse_memory_unless_the_user_said_otherwise() -> None:
    probe = (
        "import os\n"
        "os.environ['NUMPY_MADVISE_HUGEPAGE'] = '1'\n"
        "from roicli.allocator import reuse_freed_memory\n"
        "reuse_freed_memory()\n"
        "import pyarrow\n"
        "print(os.environ['NUMPY_MADVISE_HUGEPAGE'], pyarrow.default_memory_pool().backend_name,"
        " os.environ['OPENBLAS_NUM_THREADS'])\n"
    )
    assert run_python(probe) == "1 system 1"


@pytest.mark.skipif(GLIBC, reason="for C libraries other than glibc")
def test_elsewhere_it_does_nothing() -> None:
    assert run_python("from roicli.allocator import reuse_freed_memory as r; print(r())") in (
        "False",
        "True",  # musl's mallopt is a stub that says no; a glibc-compatible one may say yes
    )
