"""Bloqs: encoding."""
