"""Bloqs: qram."""
