"""Bloqs: linear_systems."""
