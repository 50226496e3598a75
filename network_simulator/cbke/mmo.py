"""AES-MMO hash, HMAC and CBKE key derivation for the simulated devices.

Written apart from the gateway's ``se_gateway_core.cbke.aes_mmo``; only AES
itself is a library's (``cryptography``, installed with zigpy).

ZigBee specification 05-3474 §B.6: the message of l bits gets a 1 bit and k
zero bits, k the least with l + 1 + k = 7n (mod 8n) for n = 16 (so 112 mod
128), then l as a 16-bit number; from l = 2^16 bits on, l + 1 + k = 5n
(mod 8n), l as 32 bits, then 16 zero bits. Blocks chain as
H_j = AES_(H_(j-1))(M_j) xor M_j from H_0 = 0. HMAC: §B.1.4.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_N = 16  # block size in octets, the n of §B.6


def _padding_bits(length_bits: int) -> str:
    """Return the padding of §B.6 as a string of bits."""
    if length_bits < 1 << 16:  # the short form
        zeros = (7 * _N - (length_bits + 1)) % (8 * _N)
        return "1" + "0" * zeros + format(length_bits, "016b")
    if length_bits < 1 << 32:
        zeros = (5 * _N - (length_bits + 1)) % (8 * _N)
        return "1" + "0" * zeros + format(length_bits, "032b") + "0" * 16
    raise ValueError("message too long for AES-MMO")


def mmo_hash(message: bytes) -> bytes:
    """Return the AES-MMO digest of the message."""
    bits = _padding_bits(8 * len(message))
    padding = int(bits, 2).to_bytes(len(bits) // 8, "big")
    data = message + padding
    assert len(data) % _N == 0
    state = bytearray(_N)
    for offset in range(0, len(data), _N):
        block = data[offset : offset + _N]
        aes = Cipher(algorithms.AES(bytes(state)), modes.ECB()).encryptor()  # noqa: S305  one raw AES block
        encrypted = aes.update(block)
        state = bytearray(e ^ m for e, m in zip(encrypted, block, strict=True))
    return bytes(state)


def mmo_hmac(key: bytes, message: bytes) -> bytes:
    """Return HMAC over AES-MMO with a 16-byte key."""
    if len(key) != _N:
        raise ValueError("key must be 16 bytes")
    inner = mmo_hash(bytes(b ^ 0x36 for b in key) + message)
    return mmo_hash(bytes(b ^ 0x5C for b in key) + inner)


def kdf(shared_secret: bytes) -> tuple[bytes, bytes]:
    """Return (MacKey, KeyData): the hash of Z || counter for counters 1 and 2."""
    mac_key, key_data = (
        mmo_hash(shared_secret + counter.to_bytes(4, "big")) for counter in (1, 2)
    )
    return mac_key, key_data
