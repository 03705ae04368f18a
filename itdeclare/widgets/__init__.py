"""Textual widgets, grouped by the screen or area that owns them."""
