"""Data sets: the SZT task (``var_u.mat``), MNIST in IDX format, and the linear teacher–student generator."""
