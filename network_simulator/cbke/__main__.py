"""Make a test CA key pair, or issue a certificate with one.

    python -m network_simulator.cbke ca [--issuer HEX]
    python -m network_simulator.cbke issue --ca-key HEX --subject IEEE \
        [--issuer HEX] [--profile HEX]

IEEE addresses are big-endian, as in certificates: ``0000000000000001`` or
``00:00:00:00:00:00:00:01``. Output is ``name: hex`` lines. These keys are for
tests and the demo only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
import sys

from . import ec163
from .authority import DEFAULT_ISSUER, DEFAULT_PROFILE_ATTRIBUTES, CertificateAuthority


def _hex_bytes(length: int | None) -> Callable[[str], bytes]:
    """Return an argparse type reading hex (colons and spaces allowed)."""

    def parse(text: str) -> bytes:
        cleaned = text.replace(":", "").replace(" ", "").replace("-", "")
        try:
            value = bytes.fromhex(cleaned)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not hex: {text!r}") from None
        if length is not None and len(value) != length:
            raise argparse.ArgumentTypeError(f"{text!r} is not {length} bytes")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m network_simulator.cbke", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ca = commands.add_parser("ca", help="make a CA key pair")
    ca.add_argument("--issuer", type=_hex_bytes(8), default=DEFAULT_ISSUER)

    issue = commands.add_parser("issue", help="issue a certificate")
    issue.add_argument("--ca-key", type=_hex_bytes(21), required=True)
    issue.add_argument("--subject", type=_hex_bytes(8), required=True)
    issue.add_argument("--issuer", type=_hex_bytes(8), default=DEFAULT_ISSUER)
    issue.add_argument(
        "--profile", type=_hex_bytes(10), default=DEFAULT_PROFILE_ATTRIBUTES
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)

    if args.command == "ca":
        authority = CertificateAuthority.generate(issuer=args.issuer)
        print(f"ca_private_key: {authority.private_key.to_bytes(21, 'big').hex()}")
        print(f"ca_public_key: {authority.public_key.hex()}")
        print(f"issuer: {authority.issuer.hex()}")
        return 0

    private_key = int.from_bytes(args.ca_key, "big")
    if not 0 < private_key < ec163.N:
        parser.error("--ca-key is not a private key of sect163k1")
    authority = CertificateAuthority(private_key=private_key, issuer=args.issuer)
    issued = authority.issue(args.subject, profile_attributes=args.profile)
    print(f"certificate: {issued.certificate.hex()}")
    print(f"private_key: {issued.private_key_hex()}")
    print(f"ca_public_key: {authority.public_key.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
