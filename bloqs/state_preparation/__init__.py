"""Bloqs: state_preparation."""
