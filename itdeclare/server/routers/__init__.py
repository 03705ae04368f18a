"""One router per resource of the HTTP API v1 (DESIGN.md §4.4)."""
