"""`python -m lianxing` runs the command-line interface."""

from lianxing.cli import main

main()
