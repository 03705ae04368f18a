"""Looking at the backend again and again while a screen is shown, backing off on failures.

A screen runs :func:`keep_looking` as the body of one exclusive async worker (group
``"status-poll"``), started when it is shown and cancelled when it is hidden (``ScreenSuspend``),
so only what the user sees is kept fresh and a hidden screen costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from itdeclare.wording import error_text, follow_language

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection

#: Called with the user's words for a failure, and whether the sign-in was refused.
Failed = Callable[[str, bool], None]


async def keep_looking(
    connection: Connection,
    look: Callable[[], Awaitable[None]],
    failed: Failed,
) -> None:
    """Call ``look`` every ``connection.poll_interval`` seconds until cancelled. After a
    failure the wait doubles (up to a minute) and ``failed`` hears of it once, not at every
    try; a refused sign-in or a backend that cannot start ends the looking."""
    from itdeclare.journey.connection import POLL_MAX_INTERVAL, client_loaded
    from itdeclare.journey.failures import BackendFailed, NotSignedIn

    await client_loaded()
    from itdeclare.client import ApiError, Unauthorized

    wait = connection.poll_interval
    told = False
    while True:
        follow_language()
        try:
            await look()
        except NotSignedIn:
            return
        except Unauthorized as error:
            await connection.forget_token()
            failed(error_text(error), True)
            return
        except BackendFailed as error:
            failed(error_text(error), False)
            return
        except ApiError as error:
            if not told:
                failed(error_text(error), False)
                told = True
            wait = min(wait * 2, POLL_MAX_INTERVAL)
        else:
            wait, told = connection.poll_interval, False
        await asyncio.sleep(wait)
