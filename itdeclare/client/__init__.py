"""The typed async client of the backend's HTTP API; the TUI talks to the backend only here."""
