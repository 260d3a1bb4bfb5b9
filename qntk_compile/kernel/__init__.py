"""The neural tangent kernel of the erf network (dual activations, the depth recursion, the
convergence depth) and its tables on the phase-estimation grid.

Pure math on numbers and arrays: imports no other part of the project.
"""
