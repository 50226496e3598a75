"""The ZigBee hash (AES-MMO) and its HMAC.

Hash: Matyas-Meyer-Oseas over AES-128 (ZigBee specification 05-3474, §B.6):
H_0 = 0^128, H_j = E(H_(j-1), M_j) xor M_j over the padded message. Padding
appends a 1 bit, then zero bits, then the message length in bits: as 16 bits
when the message is shorter than 2^16 bits (zeros up to 112 mod 128 bits), as
32 bits followed by 16 zero bits otherwise (zeros up to 80 mod 128 bits).

MAC: HMAC with that hash (ZigBee §B.1.4, after FIPS 198) and a key of one
block: H((key xor 5c5c...) || H((key xor 3636...) || message)).

AES itself comes from ``cryptography``, a dependency of both Home Assistant and
zigpy, so it is already installed wherever this package runs. (zigpy has an
AES-MMO of its own for install codes, ``zigpy.util.aes_mmo_hash``; this module
does not use it, and the tests compare the two.)
"""

from __future__ import annotations

from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_SIZE: Final = 16
_SHORT_MESSAGE_BITS: Final = 1 << 16
_LONG_MESSAGE_BITS: Final = 1 << 32
_IPAD: Final = 0x36
_OPAD: Final = 0x5C


def _pad(message: bytes) -> bytes:
    """Return the message with the padding of ZigBee §B.6, a whole number of blocks."""
    bits = len(message) * 8

    if bits < _SHORT_MESSAGE_BITS:
        length_field = bits.to_bytes(2)
    elif bits < _LONG_MESSAGE_BITS:
        length_field = bits.to_bytes(4) + bytes(2)
    else:
        raise ValueError("AES-MMO hashes messages shorter than 2^32 bits")

    padded = message + b"\x80"
    zeros = -(len(padded) + len(length_field)) % BLOCK_SIZE
    return padded + bytes(zeros) + length_field


def aes_mmo_hash(message: bytes) -> bytes:
    """Return the 16-byte AES-MMO hash of ``message``."""
    padded = _pad(message)
    digest = bytes(BLOCK_SIZE)

    for start in range(0, len(padded), BLOCK_SIZE):
        block = padded[start : start + BLOCK_SIZE]
        # One block through the raw cipher: ECB of a single block is AES itself
        encryptor = Cipher(algorithms.AES(digest), modes.ECB()).encryptor()  # noqa: S305
        cipher_text = encryptor.update(block) + encryptor.finalize()
        digest = (int.from_bytes(cipher_text) ^ int.from_bytes(block)).to_bytes(
            BLOCK_SIZE
        )

    return digest


def hmac_aes_mmo(key: bytes, message: bytes) -> bytes:
    """Return HMAC-AES-MMO(key, message) for a key of one block (16 bytes)."""
    if len(key) != BLOCK_SIZE:
        raise ValueError(f"The MAC key is {BLOCK_SIZE} bytes, not {len(key)}")
    inner_key = bytes(byte ^ _IPAD for byte in key)
    outer_key = bytes(byte ^ _OPAD for byte in key)
    return aes_mmo_hash(outer_key + aes_mmo_hash(inner_key + message))
