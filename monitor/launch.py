"""The ``monitor`` command's entry point, for the console script and ``python -m monitor``
alike: start-up settings made before the rest of the package is imported, so that they cover
those imports too."""

import gc
import os


def main() -> None:
    # pydantic offers every validation to the plugins installed beside it, found by reading
    # every installed package's entry points when the configuration's models are built (at
    # import); the configuration holds secrets from the environment, and the monitor uses no
    # plugin.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()  # until start-up is over: see monitor.cli.main

    from .cli import main as cli_main

    cli_main()
