"""One function per request of the HTTP API, a module per router (``server/routers/``).

Each takes the backend (``server.backend.Backend``) and what the route parsed, opens the
transactions it needs, runs the rules of the services beside this package (which work inside a
transaction they are given) and returns what the route answers. Routes parse and answer; which
transaction, and what differs between SQLite and PostgreSQL, is decided here.
"""
