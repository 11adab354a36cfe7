"""The paper checks use the options and fixtures of :mod:`paper_checks.pytest_plugin` (``--profile``, …)."""
