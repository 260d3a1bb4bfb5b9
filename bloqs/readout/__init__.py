"""Bloqs: readout."""
