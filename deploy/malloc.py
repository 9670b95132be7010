"""glibc's memory allocator, set for workers that process evidence photos.

gunicorn's master calls `return_image_memory_to_the_system()` before it loads
Django (`on_starting` in deploy/gunicorn.conf.py), and every worker it forks
keeps the setting; bench/photos.py calls it the same way, before Django, so
the benchmark measures the memory a worker really uses.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

# mallopt's parameter number for the mmap threshold (glibc's malloc.h).
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 256 * 1024


def return_image_memory_to_the_system() -> None:
    """Make glibc hand big image buffers straight back to the system when freed.

    glibc raises its mmap threshold each time a large block is freed, so after
    the first photo the next photos' buffers come from the heap, which grows,
    fragments and is never given back: a worker's peak memory crept from about
    140 to 170 MiB by the second HEIC. A fixed threshold keeps every buffer of
    256 KiB or more in its own mapping, returned on free. Called before the
    imports: by then freeing their big blocks has already raised the threshold
    for trimming the heap too, which a later call leaves raised (bench/photos.py:
    a peak of 147 MiB instead of 136). The environment
    variable MALLOC_MMAP_THRESHOLD_=262144 does the same for a whole server;
    when it is set, it wins. Not glibc (musl, macOS): nothing to do.
    """
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        pass
