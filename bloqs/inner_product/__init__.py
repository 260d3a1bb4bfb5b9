"""Bloqs: inner_product."""
