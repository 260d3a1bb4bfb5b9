"""Bloqs: amplitude_estimation."""
