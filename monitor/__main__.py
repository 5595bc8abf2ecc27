"""``python -m monitor``: the start-up settings of ``monitor.cli.main``, made before the first
import so that they cover the imports too."""

import gc
import os

# pydantic offers every validation to the plugins installed beside it, found by reading every
# installed package's entry points when the configuration's models are built (at import);
# the configuration holds secrets from the environment, and the monitor uses no plugin.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
gc.disable()  # until start-up is over: see monitor.cli.main

from .cli import main  # noqa: E402

main()
