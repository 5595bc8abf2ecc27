"""``python -m monitor``: the same entry point as the ``monitor`` console script."""

from .launch import main

main()
