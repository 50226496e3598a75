"""Every Smart Energy command agrees with Wireshark's dissector (tshark), both ways.

Ours -> Wireshark: each command of ``samples.py`` is encoded by our clusters
once per number of optional trailing fields kept (none, each prefix, all) and
checked twice: its bytes are the spec layout packed by hand
(``spec_layouts.py``), and every field Wireshark decodes has the name, place,
size and value we encoded, bit fields included.

Wireshark -> ours: for each command and number of trailing fields, random
values are packed by hand from the spec layout; Wireshark must read those
values back, and our cluster (zigpy's receive path) must decode the frame to
the same values and encode it to the same bytes.

All frames go to one capture file that one tshark run dissects, once per test
session; ``scripts/setup`` installs tshark.

Where Wireshark 4.0 reads differently, the layouts say so (``why``) and the
tests assert what it does show:

- Publish Block Period: Wireshark dissects the SE 1.2+ layout (Block Period
  Control, Duration Type, Tariff Type, Tariff Resolution Period after the
  24-bit duration), not SE 1.1's (Number of Price Tiers & Block Thresholds,
  Block Period Control): it reads our last two bytes as the first two of its
  own, then calls the frame malformed.
- Report Event Status: Wireshark requires the signature type and signature
  (mandatory in SE 1.1); a report without a signature type is malformed to
  it, one without the signature shows an empty <MISSING> signature.
  It also reads the applied set points as signed, where SE 1.1 says unsigned
  (same bytes).
- Cancel Load Control Event: Wireshark shows Effective Time through the Cancel
  Control reserved-bits mask (bits 1-7 of its first byte, labelled Reserved).
- Get Scheduled Events: Wireshark declares the SE 1.2 Issuer Event ID 8-bit,
  so it shows the low byte of the 4 it spans.
- Message Confirmation: Wireshark shows only bit 0 (NoReturned) of the
  Message Confirmation Control, not bit 1 (YesReturned).
- Request Fast Poll Mode Response: Wireshark dates Fast Poll Mode End Time
  from 1970 instead of 2000.
- Get Block Period(s): Wireshark's Tariff Type is the low nibble; the high
  one is reserved (our decoder now reads it the same way).
- Strings: Wireshark shows ZCL strings as ASCII (each byte of a non-ASCII
  UTF-8 character as U+FFFD), so their text is compared in that form; the
  length byte, which counts UTF-8 bytes, is checked through the field size.
- Get Current Price: Wireshark shows the Command Options byte without naming
  its Requestor Rx On When Idle bit (bit 0); the byte is compared.
- Cancel Message: Wireshark shows the Message Control as a plain byte, which
  SE 1.2 deprecates (0x00), and adds an expert warning when it is not 0.
- Display text only: Wireshark labels some Load Control Event set points and
  load adjustments "Not Used" (for example -5.50 degC, -10 %) although the
  values it decodes, which the tests compare, are right.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import pytest
from zigpy.zcl import foundation

from .fake_zigpy import FakeApplication, cluster_frame, command_cluster
from .samples import SAMPLES, Sample
from .spec_layouts import LAYOUTS, Layout
from .tshark import Dissection, Field, dissect

RANDOM_FRAMES = 20  # per command and number of optional fields kept
EXPERT = "_ws.expert"
EXPERT_WARNING = "Expert Info (Warning/Protocol): "
EXTRA_VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    # The sample sets the Requestor Rx On When Idle bit; also send it clear
    "get_current_price": {"rx_off_when_idle": {"command_options": 0x00}},
}


@dataclass(frozen=True)
class Case:
    """One frame in the capture: a command payload with ``kept`` trailing fields."""

    sample: Sample
    kept: int
    values: dict[str, Any]
    payload: bytes
    index: int
    variant: str = ""

    @property
    def layout(self) -> Layout:
        """Return the spec layout of the command."""
        return LAYOUTS[self.sample.name]

    @property
    def frame(self) -> bytes:
        """Return the ZCL frame; the sequence number tells frames apart."""
        return cluster_frame(
            self.sample.command,
            self.payload,
            server_to_client=self.sample.server_to_client,
            tsn=self.index & 0xFF,
        )


def _kept_counts(sample: Sample) -> range:
    return range(len(sample.optional_fields) + 1)


def _our_cases() -> Iterator[tuple[Sample, int, dict[str, Any], bytes, str]]:
    """Yield our encoding of each sample, keeping 0 to all optional fields."""
    for sample in SAMPLES:
        variants = {"": {}, **EXTRA_VARIANTS.get(sample.name, {})}

        for variant, changes in variants.items():
            for kept in _kept_counts(sample):
                dropped = dict.fromkeys(sample.optional_fields[kept:])
                payload = sample.payload(**changes, **dropped)
                values = {**sample.kwargs, **changes}
                kept_values = {
                    name: value for name, value in values.items() if name not in dropped
                }
                yield sample, kept, kept_values, payload.serialize(), variant


def _spec_cases() -> Iterator[tuple[Sample, int, dict[str, Any], bytes, str]]:
    """Yield frames of random values, packed by hand from the spec layout."""
    rng = Random(0x0700)

    for sample in SAMPLES:
        layout = LAYOUTS[sample.name]

        for kept in _kept_counts(sample):
            for _ in range(RANDOM_FRAMES):
                values = layout.random_values(rng, kept)
                yield sample, kept, values, layout.pack(values, kept), ""


def _cases() -> tuple[list[Case], list[Case]]:
    ours = list(_our_cases())
    spec = list(_spec_cases())
    cases = [
        Case(sample, kept, values, payload, index, variant)
        for index, (sample, kept, values, payload, variant) in enumerate([*ours, *spec])
    ]
    return cases[: len(ours)], cases[len(ours) :]


OUR_CASES, SPEC_CASES = _cases()


@pytest.fixture(scope="session")
def dissections(tmp_path_factory: pytest.TempPathFactory) -> list[Dissection]:
    """Return tshark's dissection of every case, from one tshark run."""
    workdir: Path = tmp_path_factory.mktemp("tshark")
    frames = [
        (case.sample.cluster.cluster_id, case.frame)
        for case in [*OUR_CASES, *SPEC_CASES]
    ]
    return dissect(frames, workdir)


def _decode(case: Case) -> foundation.CommandSchema:
    """Decode the frame as zigpy does when the device sends it to us."""
    cluster = command_cluster(
        FakeApplication(),
        case.sample.cluster.cluster_id,
        server_to_client=case.sample.server_to_client,
    )
    hdr, payload = cluster.deserialize(case.frame)

    assert hdr.command_id == case.sample.command.id
    assert type(payload) is case.sample.schema
    return payload


def _expected_rows(case: Case) -> list[tuple[str, int, int, Any]]:
    """Return (Wireshark field, offset, size, shown value) of each payload field."""
    layout = case.layout
    rows: list[tuple[str, int, int, Any]] = []

    for spec, offset, value in layout.items(case.values, case.kept):
        size = len(spec.wire.pack(value))
        rows.append((layout.prefix + spec.wireshark, offset, size, spec.shown(value)))

        if spec.warning and value:
            rows.append((EXPERT, 0, 0, f"{EXPERT_WARNING}{spec.warning}"))

    absent = layout.optional_fields[case.kept :]

    if absent and layout.wireshark_requires.get(absent[0]) == "missing":
        spec = next(spec for spec in layout.fields if spec.name == absent[0])
        rows.append((layout.prefix + spec.wireshark, len(case.payload), 0, None))

    return rows


def _actual_rows(
    case: Case, fields: tuple[Field, ...]
) -> list[tuple[str, int, int, Any]]:
    """Return the same rows from Wireshark's fields, read with the spec's formats."""
    specs = {case.layout.prefix + spec.wireshark: spec for spec in case.layout.fields}
    rows = []

    for field in fields:
        if field.name == EXPERT:
            rows.append((EXPERT, 0, 0, field.showname))
            continue

        spec = specs.get(field.name)
        value = field.show if spec is None else spec.wire.read(field.show)
        rows.append(
            (field.name, field.offset, field.size, value if field.size else None)
        )

    return rows


def _expect_malformed(case: Case) -> bool:
    layout = case.layout
    absent = layout.optional_fields[case.kept :]
    return layout.malformed or any(
        layout.wireshark_requires.get(name) == "malformed" for name in absent
    )


def assert_wireshark_agrees(
    case: Case, dissection: Dissection, decoded: foundation.CommandSchema
) -> None:
    """Assert Wireshark decodes the frame's header and every field as we do."""
    layout = case.layout
    sample = case.sample
    direction = "srv_tx" if sample.server_to_client else "srv_rx"

    assert dissection.header["zbee_zcl.type"] == "0x01"
    assert dissection.header["zbee_zcl.dir"] == str(int(sample.server_to_client))
    assert dissection.header["zbee_zcl.ddr"] == "0"
    assert int(dissection.header["zbee_zcl.cmd.tsn"]) == case.index & 0xFF
    assert dissection.command.name == f"{layout.prefix}cmd.{direction}.id"
    assert int(dissection.command.show, 0) == sample.command.id
    assert f": {layout.wireshark_name} (" in dissection.command.showname

    assert _actual_rows(case, dissection.payload) == _expected_rows(case)
    assert dissection.malformed is _expect_malformed(case)

    # Bit fields: Wireshark's reading of each bit against our decoded value
    shown = {field.name: field for field in dissection.payload}

    for spec in layout.present(case.kept):
        for bit_name, getter in spec.bits.items():
            bit = shown[layout.prefix + spec.wireshark].child(layout.prefix + bit_name)
            assert int(bit.show, 0) == getter(getattr(decoded, spec.name)), bit_name


def _group_id(case: Case) -> str:
    return f"{case.sample}-kept{case.kept}{case.variant and '-' + case.variant}"


@pytest.mark.parametrize("sample", SAMPLES, ids=str)
def test_spec_layout_matches_our_schema(sample: Sample) -> None:
    """The hand-typed spec layout has our fields, in order, same ones optional."""
    layout = LAYOUTS[sample.name]

    assert [spec.name for spec in layout.fields] == [
        field.name for field in sample.schema.fields
    ]
    assert layout.optional_fields == sample.optional_fields


def test_every_command_is_covered() -> None:
    """Both ways, every command with each number of optional fields kept."""
    expected = {(str(s), kept) for s in SAMPLES for kept in _kept_counts(s)}

    assert {(str(c.sample), c.kept) for c in OUR_CASES} == expected
    assert {(str(c.sample), c.kept) for c in SPEC_CASES} == expected
    assert set(LAYOUTS) == {sample.name for sample in SAMPLES}


@pytest.mark.parametrize("case", OUR_CASES, ids=_group_id)
def test_ours_to_wireshark(case: Case, dissections: list[Dissection]) -> None:
    """Our encoding is the spec layout, and Wireshark reads our values from it."""
    assert case.payload == case.layout.pack(case.values, case.kept)

    assert_wireshark_agrees(case, dissections[case.index], _decode(case))


@pytest.mark.parametrize(
    "group",
    [
        SPEC_CASES[i : i + RANDOM_FRAMES]
        for i in range(0, len(SPEC_CASES), RANDOM_FRAMES)
    ],
    ids=lambda group: _group_id(group[0]),
)
def test_wireshark_to_ours(group: list[Case], dissections: list[Dissection]) -> None:
    """Frames packed by hand, read right by Wireshark, decode right with ours."""
    assert len({(str(case.sample), case.kept) for case in group}) == 1

    for frame_case in group:
        decoded = _decode(frame_case)

        assert_wireshark_agrees(frame_case, dissections[frame_case.index], decoded)
        for name, value in frame_case.values.items():
            assert getattr(decoded, name) == value, name
        for name in frame_case.layout.optional_fields[frame_case.kept :]:
            assert getattr(decoded, name) is None, name
        assert decoded.serialize() == frame_case.payload
