"""State preparation: the Kerenidis–Prakash amplitude loaders (rows and single vectors), the norm
state, the label state and controlled superpositions.

May import bloqs.qram (the data access of the tree) and bloqs.specialized_ctrl.
"""
