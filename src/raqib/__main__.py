"""``python -m raqib`` runs the CLI."""

from raqib.cli import main

main()
