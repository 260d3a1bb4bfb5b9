"""Bloqs: block_encoding."""
