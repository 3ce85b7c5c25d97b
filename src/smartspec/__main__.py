"""``python -m smartspec``: the same as the ``smartspec`` command."""
from smartspec.cli import main

main()
