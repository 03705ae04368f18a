"""The client's local state: drafts, people, certificates, settings and the session token."""
