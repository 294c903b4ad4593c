"""Command-line tests (a package: their module names repeat those of tests/services)."""
