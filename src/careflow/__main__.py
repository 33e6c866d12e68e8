"""Allow `python -m careflow`."""

from careflow.cli import main

main()
