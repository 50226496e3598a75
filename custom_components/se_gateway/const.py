"""Constants of the se_gateway integration."""

from typing import Final

DOMAIN: Final = "se_gateway"
ZHA_DOMAIN: Final = "zha"

CONF_RELOAD_ZHA_FOR_QUIRKS: Final = "reload_zha_for_quirks"
DEFAULT_RELOAD_ZHA_FOR_QUIRKS: Final = True
