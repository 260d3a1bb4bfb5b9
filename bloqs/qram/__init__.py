"""Read-only QRAM circuits: the bucket brigade (routers, CSWAP routing, a bus) and the one-hot
decoder, with a Toffoli-depth cost key.

May import only Qualtran and bloqs.specialized_ctrl.
"""
