"""Domain parameters: the fields and Koblitz curves of the ZigBee SE suites.

Values from SEC 2 v2.0 ("Recommended Elliptic Curve Domain Parameters"),
§3.2.1 sect163k1 and §3.4.1 sect283k1; they are also NIST K-163 and K-283
(FIPS 186-4 D.1.3). Crypto suite 1 of ZigBee Smart Energy (document
07-5356, Annex C) uses sect163k1; suite 2 (SE 1.2+) uses sect283k1, whose
curve is given here as data only.
"""

from __future__ import annotations

from typing import Final

from .curve import BinaryCurve, Point
from .gf2m import BinaryField

# f(x) = x^163 + x^7 + x^6 + x^3 + 1
GF2_163: Final = BinaryField(163, (7, 6, 3))
# f(x) = x^283 + x^12 + x^7 + x^5 + 1
GF2_283: Final = BinaryField(283, (12, 7, 5))

SECT163K1: Final = BinaryCurve(
    "sect163k1",
    GF2_163,
    a=1,
    b=1,
    generator=Point(
        0x02FE13C0537BBC11ACAA07D793DE4E6D5E5C94EEE8,
        0x0289070FB05D38FF58321F2E800536D538CCDAA3D9,
    ),
    order=0x04000000000000000000020108A2E0CC0D99F8A5EF,
    cofactor=2,
)

SECT283K1: Final = BinaryCurve(
    "sect283k1",
    GF2_283,
    a=0,
    b=1,
    generator=Point(
        0x0503213F78CA44883F1A3B8162F188E553CD265F23C1567A16876913B0C2AC2458492836,
        0x01CCDA380F1C9E318D90F95D07E5426FE87E45C0E8184698E45962364E34116177DD2259,
    ),
    order=0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE9AE2ED07577265DFF7F94451E061E163C61,
    cofactor=4,
)
