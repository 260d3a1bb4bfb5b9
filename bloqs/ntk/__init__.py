"""Bloqs: ntk."""
