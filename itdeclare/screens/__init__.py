"""Textual screens of the traveller app and the reviewer console, one per module."""
