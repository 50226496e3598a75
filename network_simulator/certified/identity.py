"""Who a certified device is: the test CAs, its address, install code, certificate.

The simulator's own test CAs (``network_simulator.cbke``, never the
product's crypto), the fixed IEEE addresses of the certified devices, and the
install code and CBKE credentials derived from an address.
"""

from __future__ import annotations

from typing import Final

import zigpy.types as t

from ..cbke import CertificateAuthority, DeviceCredentials

# The simulator's test CA, fixed so that the demo's gateway certificate stays
# valid from run to run. For tests and the demo only.
DEMO_CA_PRIVATE_KEY: Final = 0x5E6A7E3A1C0FFEE05E6A7E3A1C0FFEE1
DEMO_CA: Final = CertificateAuthority(private_key=DEMO_CA_PRIVATE_KEY)
OTHER_CA: Final = CertificateAuthority(
    private_key=0x0DDC0FFEE0DDC0FFEE0DDC0FFEE0DDC1, issuer=b"OTHER-CA"
)

CERTIFIED_IHD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:10:00:01")
CERTIFIED_PCT_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:20:00:01")
CERTIFIED_METER_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:30:00:01")


def install_code_for(ieee: t.EUI64) -> bytes:
    """Return a 16-byte install code (with its CRC) derived from ``ieee``."""
    from crccheck.crc import (  # type: ignore[import-untyped]  # noqa: PLC0415
        CrcX25,
    )

    code = bytes(ieee.serialize()) * 2
    crc = CrcX25()
    crc.process(code)
    return code + crc.finalbytes(byteorder="little")


def credentials_for(
    ieee: t.EUI64, authority: CertificateAuthority = DEMO_CA
) -> DeviceCredentials:
    """Return credentials issued to ``ieee`` by ``authority``, trusting DEMO_CA."""
    issued = authority.issue(bytes(ieee.serialize()[::-1]))
    return DeviceCredentials(
        certificate=issued.certificate,
        private_key=issued.private_key,
        ca_public_key=DEMO_CA.public_key,
    )
