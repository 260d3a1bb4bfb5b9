"""Algorithm 1 itself, composed from the other packages: the kernel entry, the test-kernel
preparation (and its amplification), the computed entry oracle P_A, the diagonal and the
sparsified NTK, and their Algorithm-1 step partition.

May import every other subpackage of bloqs; none of them imports it.
"""
