"""``python -m paper_checks`` is the ``ibtheory`` command."""

from paper_checks.workflow.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
