"""In a clone, load ibtheory's pytest plugin (installed packages load it through its ``pytest11`` entry point)."""

pytest_plugins = ["paper_checks.pytest_plugin"]
