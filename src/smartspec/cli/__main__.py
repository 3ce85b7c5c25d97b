"""``python -m smartspec.cli``: the same as the ``smartspec`` command."""
from smartspec.cli import main

main()
