"""Widgets of the traveller's journey after the wizard: the backend's answers, the green code."""
