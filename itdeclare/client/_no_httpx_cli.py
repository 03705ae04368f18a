"""httpx without its command-line tool: import this before httpx.

httpx loads its command-line tool when click, rich and pygments are installed, as they are here
(uvicorn needs click, Textual rich); this client never runs it. Marked missing, the tool is not
loaded (httpx is made for that: its ``main`` then says the extra is not installed): 40 modules
and about 3 MiB less in the terminal apps.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
