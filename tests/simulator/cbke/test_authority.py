"""The simulator's test CA: its certificates work with the gateway's code.

SEC 4 v1.0 §3.3-3.6 (Cert Request, Cert Generate, Cert Reception); the
gateway checks what it issues with its own ECQV (``se_gateway_core.cbke``).
"""

from __future__ import annotations

import random

import pytest

from network_simulator.cbke import (
    CertificateAuthority,
    CertificateRejected,
    ec163,
    extract_public_key,
)
from network_simulator.cbke.__main__ import main
from se_gateway_core.cbke import (
    CertificateError,
    ImplicitCertificate,
    validate_installed_certificate,
)
from se_gateway_core.cbke.ecqv import reconstruct_public_key
from se_gateway_core.cbke.params import SECT163K1

SUBJECT = bytes.fromhex("000D6F0000ABCDEF")


@pytest.fixture(scope="module")
def authority() -> CertificateAuthority:
    rng = random.Random(0xCA)
    return CertificateAuthority.generate(
        issuer=b"TEST-CA1", scalar=lambda: rng.randrange(1, ec163.N)
    )


def test_issued_certificate_layout(authority: CertificateAuthority) -> None:
    issued = authority.issue(SUBJECT, profile_attributes=bytes(range(10)))
    fields = ImplicitCertificate.from_bytes(issued.certificate)

    assert len(issued.certificate) == 48
    assert fields.subject == issued.subject == SUBJECT
    assert fields.issuer == b"TEST-CA1"
    assert fields.profile_attributes == bytes(range(10))
    assert fields.reconstruction_data[0] in (2, 3)


def test_gateway_accepts_issued_certificates(authority: CertificateAuthority) -> None:
    for index in range(3):
        subject = SUBJECT[:-1] + bytes([index])
        issued = authority.issue(subject)

        credentials = validate_installed_certificate(
            issued.certificate, issued.private_key, authority.public_key
        )
        ours = reconstruct_public_key(
            issued.certificate, SECT163K1.decode(authority.public_key)
        )
        theirs = extract_public_key(issued.certificate, authority.public_key)
        assert credentials.ieee == subject
        assert (ours.x, ours.y) == theirs


def test_gateway_refuses_a_key_for_another_certificate(
    authority: CertificateAuthority,
) -> None:
    first = authority.issue(SUBJECT)
    second = authority.issue(SUBJECT)

    assert first.certificate != second.certificate  # fresh k, k_U each time
    with pytest.raises(CertificateError, match="does not match"):
        validate_installed_certificate(
            first.certificate, second.private_key, authority.public_key
        )


def test_arguments_are_checked(authority: CertificateAuthority) -> None:
    with pytest.raises(ValueError, match="8-byte"):
        authority.issue(SUBJECT[:7])
    with pytest.raises(ValueError, match="10 bytes"):
        authority.issue(SUBJECT, profile_attributes=b"")
    with pytest.raises(ValueError, match="out of range"):
        CertificateAuthority(private_key=0)
    with pytest.raises(ValueError, match="8 bytes"):
        CertificateAuthority(private_key=1, issuer=b"CA")


def test_extract_public_key_refusals(authority: CertificateAuthority) -> None:
    issued = authority.issue(SUBJECT)

    with pytest.raises(CertificateRejected, match="48 bytes"):
        extract_public_key(issued.certificate[:-1], authority.public_key)
    with pytest.raises(CertificateRejected):
        extract_public_key(b"\x05" + issued.certificate[1:], authority.public_key)


def _lines(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.strip().splitlines())


def test_cli_ca_then_issue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ca", "--issuer", "54:45:53:54:2D:43:41:32"]) == 0
    ca = _lines(capsys.readouterr().out)
    assert ca["issuer"] == b"TEST-CA2".hex()

    assert (
        main(
            [
                "issue",
                "--ca-key",
                ca["ca_private_key"],
                "--subject",
                "00:0d:6f:00:00:00:00:07",
                "--issuer",
                ca["issuer"],
            ]
        )
        == 0
    )
    issued = _lines(capsys.readouterr().out)

    certificate = bytes.fromhex(issued["certificate"])
    assert issued["ca_public_key"] == ca["ca_public_key"]
    assert certificate[22:30] == bytes.fromhex("000d6f0000000007")
    assert certificate[30:38] == b"TEST-CA2"
    validate_installed_certificate(
        certificate,
        int(issued["private_key"], 16),
        bytes.fromhex(ca["ca_public_key"]),
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["issue", "--ca-key", "00", "--subject", "0000000000000001"],
        ["issue", "--ca-key", "zz", "--subject", "0000000000000001"],
        ["issue", "--ca-key", "00" * 21, "--subject", "0000000000000001"],
        ["issue", "--ca-key", "01" * 21, "--subject", "00000001"],
        ["issue", "--subject", "0000000000000001"],
        [],
    ],
    ids=["short-key", "not-hex", "zero-key", "short-subject", "no-key", "no-command"],
)
def test_cli_refuses(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err
