"""Subcommands of ``case-tracker``; each module defines ``register(subparsers)``."""
