"""se_gateway's quirks for ZHA's ``custom_quirks_path``.

Point ZHA's ``custom_quirks_path`` at this folder to use the quirks without the
integration. ZHA's loader imports every module and package it finds here, and
re-imports the submodules of packages under new module objects, which would
register every class twice. So the code lives in ``se_gateway_quirks/``, a
namespace package (no ``__init__.py``) that the loader does not walk, and this
module, the only one the loader sees, imports it once.

Use this folder or the integration, not both: each brings its own copy.
"""

from pathlib import Path
import sys

_FOLDER = str(Path(__file__).resolve().parent)
if _FOLDER not in sys.path:
    sys.path.append(_FOLDER)

# Found on the path added above; mypy checks them as the integration's copy.
from se_gateway_quirks import (  # type: ignore[import-not-found]  # noqa: E402
    se_profile,
    smartenergy,
)
from se_gateway_quirks.tuya_lock import quirk  # type: ignore[import-not-found]  # noqa: E402

# ZHA purges custom quirks before it loads this module again (on reload).
quirk.register()
se_profile.register()

__all__ = ["quirk", "se_profile", "smartenergy"]
