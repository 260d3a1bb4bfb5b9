"""Bloqs: arithmetic."""
