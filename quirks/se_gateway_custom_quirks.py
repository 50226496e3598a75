"""se_gateway's quirks for ZHA's ``custom_quirks_path``.

Point ZHA's ``custom_quirks_path`` at this folder to use the quirks without the
integration. ZHA's loader imports every module and package it finds here; this
module, the only one, puts the repository's Home Assistant-free package
``se_gateway_core`` (one folder up) on the path and registers its clusters and
quirks.

Use this folder or the integration, not both: each brings its own copy.
"""

from pathlib import Path
import sys

_REPOSITORY = str(Path(__file__).resolve().parent.parent)
if _REPOSITORY not in sys.path:
    sys.path.append(_REPOSITORY)

from se_gateway_core import quirks  # noqa: E402

# ZHA purges custom quirks before it loads this module again (on reload).
quirks.register()

__all__ = ["quirks"]
