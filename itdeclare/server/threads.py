"""Blocking work (the database) off the event loop, in the backend's own pool of threads.

Every route and dependency is a coroutine, and hands what blocks (the database, the disk) to
:func:`run`; a submission's filing statement alone is awaited on the loop itself, on a
psycopg asyncio connection (``db.Database.run``). FastAPI would run a plain function
through anyio's ``to_thread``, whose bookkeeping on the event loop (a capacity limiter, a cancel
scope, a checkpoint) costs about as much as the work a short request does there; ``run`` is the
hop alone. Under load, a submission spent 4% less of the server's CPU this way
(``bench/server.py --compare``: 2.11 -> 2.03 ms).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

#: As many threads as anyio allows by default: more than the database pool's connections, so a
#: request waiting for a connection never holds up one that only reads its own state.
THREADS = 40
_pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="itdeclare")


async def run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in a thread of the pool, with this request's context
    variables (its language)."""
    call = partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool, call)
