"""Widgets and pure helpers of the reviewer console, grouped by what they show."""
