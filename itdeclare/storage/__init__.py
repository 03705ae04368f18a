"""The client's local state: drafts, people, certificates and the session token.

Encrypted at rest and written crash-safely under the user's data directory (see
``docs/storage.md``). Start from :class:`itdeclare.storage.state.LocalState`:

- ``records``: the pydantic models kept (``Draft``, ``Person``, ``Certificate``, ``Session``)
- ``state``: ``LocalState``, opening the stores below on first use
- ``stores``: the typed stores; ``vault``: the encrypted record files; ``keys``: the data key
- ``saver``: ``DraftSaver``, the debounced autosave
- ``atomic``: crash-safe file replacement

Importing these modules loads neither ``cryptography`` nor ``keyring``; opening a store does.
Its paths come from :mod:`itdeclare.locations`, which the certificate keys and the server's
settings use too.
"""
