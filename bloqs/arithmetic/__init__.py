"""Reversible arithmetic for Algorithm 1: the coherent median of k registers and classical function
lookup tables.

May import only Qualtran.
"""
