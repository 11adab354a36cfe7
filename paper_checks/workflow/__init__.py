"""The workflow, apart from the science: ids, store, executors, the runner, the report and the CLI.

Nothing here decides anything about the paper: it computes what the registered claims and figures of
:mod:`paper_checks.registry` declare they need, keeps it on disk, evaluates the checks and reports them.
"""
