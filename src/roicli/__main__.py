"""Allow ``python -m roicli``."""

from roicli.cli import main

main()
