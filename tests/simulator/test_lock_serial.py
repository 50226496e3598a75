"""The simulated lock's serial line: frames, the reader, requests and payloads."""

from __future__ import annotations

import pytest

from network_simulator.lock import serial_payloads as sp, units
from network_simulator.lock.exchanges import LineSender
from network_simulator.lock.serial_frames import (
    MAX_DATA,
    FrameReader,
    SerialFrame,
    checksum,
    encode,
    next_seq,
)
from network_simulator.lock.serial_line import SerialLine

from .helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# Frames captured on a _TYST12_srptwvak lock's UART (EDIT-Aeterna/
# tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/): a card record, the
# MCU's time request, the module's DP 49 command and the MCU's answer to it,
# and the MCU's product information (with the OTA flag byte).
CAPTURES = {
    "card record": "55AA03 0022 23 000D 016A9FD26A 0502000400 00000E B3",
    "time request": "55AA03 0002 24 0000 28",
    "dp49 command": "55AA03 000A 04 0011 3100000D 010001 3234363039393336 0001 09",
    "dp49 answer": "55AA03 000A 05 0007 31000003 000001 4D",
    "product info": "55AA03 3377 01 001D"
    + b'{"p":"srptwvak","v":"1.0.8"}'.hex()
    + "01 D0",
}


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_captured_frames_decode_and_encode_alike(name: str) -> None:
    wire = h(CAPTURES[name])
    [frame] = FrameReader().feed(wire)
    assert encode(frame) == wire


def test_captured_record_and_answer_payloads() -> None:
    [record] = FrameReader().feed(h(CAPTURES["card record"]))
    body = sp.decode_record(record.data)
    assert (record.command, body.flag, body.gmt) == (0x23, 1, 0x6A9FD26A)
    assert units.decode_units(body.units) == [units.value(5, 14)]
    [answer] = FrameReader().feed(h(CAPTURES["dp49 answer"]))
    assert units.decode_units(answer.data) == [units.raw(49, h("000001"))]
    [info] = FrameReader().feed(h(CAPTURES["product info"]))
    assert sp.decode_product_info(info.data) == sp.ProductInfo(
        "srptwvak", "1.0.8", True
    )


def test_checksum_and_sequence() -> None:
    assert checksum(h("55aa03000224 0000")) == 0x28
    assert next_seq(1) == 2
    assert next_seq(0xFFF0) == 1


def test_frames_too_long_are_refused() -> None:
    with pytest.raises(ValueError, match="at most"):
        encode(SerialFrame(1, 4, bytes(MAX_DATA + 1)))


def test_reader_takes_bytes_one_at_a_time_and_skips_the_wake_preamble() -> None:
    wire = bytes(7) + encode(SerialFrame(0, 0)) + encode(SerialFrame(5, 0x24))
    reader = FrameReader()
    frames = [frame for byte in wire for frame in reader.feed(bytes((byte,)))]
    assert frames == [SerialFrame(0, 0), SerialFrame(5, 0x24)]
    assert reader.dropped == 7


def test_reader_resyncs_after_a_bad_checksum_and_a_cut_frame() -> None:
    good = encode(SerialFrame(9, 5, b"\x01"))
    corrupt = good[:-1] + bytes(((good[-1] + 1) & 0xFF,))
    cut = encode(SerialFrame(3, 4, bytes(40)))[:12]
    reader = FrameReader()
    assert reader.feed(corrupt + cut + good) == []  # the cut frame waits for 40 bytes
    assert reader.idle() == [SerialFrame(9, 5, b"\x01")]


@pytest.mark.parametrize("head", ["55aa02", "55aa03 0001 04 ffff"])
def test_reader_drops_a_wrong_version_or_length_at_once(head: str) -> None:
    good = encode(SerialFrame(1, 6, b"\x03"))
    assert FrameReader().feed(h(head) + good) == [SerialFrame(1, 6, b"\x03")]


def test_idle_drops_a_lone_55() -> None:
    reader = FrameReader()
    assert reader.feed(b"\x00\x55") == []
    assert reader.idle() == []
    assert reader.feed(encode(SerialFrame(1, 2))) == [SerialFrame(1, 2)]


def test_the_line_keeps_a_copy_of_each_direction() -> None:
    line = SerialLine()
    line.to_module.write(b"abc")
    line.inject(b"!", to_module=False)
    assert line.busy
    assert line.to_module.read(2) == b"ab"
    assert (line.to_module.read(), line.to_mcu.read()) == (b"c", b"!")
    assert not line.busy
    assert (bytes(line.to_module.tap), bytes(line.to_mcu.tap)) == (b"abc", b"!")


# -- requests, answers and waking ----------------------------------------------------


class Peer:
    """The other side of a LineSender: records frames, answers when told to."""

    def __init__(self) -> None:
        self.reader = FrameReader()
        self.frames: list[SerialFrame] = []
        self.raw = b""

    def write(self, data: bytes) -> None:
        self.raw += data
        self.frames += self.reader.feed(data)


def sender(clock: FakeClock, peer: Peer, wake_timeout: float = 0.02) -> LineSender:
    return LineSender(peer.write, clock, wake_seq=0x55AA, wake_timeout=wake_timeout)


def test_a_sleeping_peer_is_woken_first(clock: FakeClock) -> None:
    peer = Peer()
    side = sender(clock, peer)
    seq = side.request(0x0A)
    assert peer.raw.startswith(bytes(7))
    assert peer.frames == [SerialFrame(0x55AA, 0)]
    assert side.take(SerialFrame(0x55AA, 0))  # the wake answer
    assert peer.frames[-1] == SerialFrame(seq, 0x0A)
    answers: list[SerialFrame] = []
    side.request(0x01, on_answer=answers.append)
    assert not side.take(SerialFrame(99, 0x0A))  # not the request in flight
    assert side.take(SerialFrame(seq, 0x0A, b"\x41"))
    assert peer.frames[-1].command == 0x01  # the peer is awake: no wake
    assert side.take(SerialFrame(peer.frames[-1].seq, 0x01, b"{}"))
    assert answers == [SerialFrame(peer.frames[-1].seq, 0x01, b"{}")]


def test_an_unanswered_wake_is_tried_three_times_then_waits(clock: FakeClock) -> None:
    peer = Peer()
    side = sender(clock, peer)
    side.request(0x0A)
    for _ in range(3):
        clock.advance(0.021)
        side.tick()
    assert peer.frames == [SerialFrame(0x55AA, 0)] * 3
    assert side.queue  # kept until the peer talks
    side.heard()
    assert peer.frames[-1].command == 0x0A


def test_an_unanswered_request_is_sent_three_times_then_given_up(
    clock: FakeClock,
) -> None:
    peer = Peer()
    side = sender(clock, peer)
    side.heard()
    gave_up: list[bool] = []
    side.request(0x24, on_give_up=lambda: gave_up.append(True))
    side.request(0x02)
    for _ in range(3):
        clock.advance(0.3)
        side.tick()
        clock.advance(0.2)
        side.tick()
    # The silent peer fell asleep meanwhile: it is woken before the next one.
    assert [frame.command for frame in peer.frames] == [0x24, 0x24, 0x24, 0x00]
    assert gave_up == [True]
    assert side.given_up == [peer.frames[0]]


# -- payloads ------------------------------------------------------------------------


def test_units_round_trip_and_refuse_bad_sizes() -> None:
    run = [units.raw(49, b"\x01\x02"), units.boolean(8, True), units.value(10, -5)]
    assert units.decode_units(units.encode_units(run)) == run
    assert [unit.value for unit in run] == [b"\x01\x02", True, -5]
    assert units.Unit(1, 3, b"ok").value == "ok"
    for bad in ("0101 0002 0101", "0505 0003 000000", "01", "0100 0009 00"):
        with pytest.raises(units.BadUnits):
            units.decode_units(h(bad))
    assert units.decode_units(h("c809 0001 07")) == [units.Unit(200, 9, b"\x07")]


def test_time_and_records() -> None:
    assert sp.decode_time(sp.encode_time(1, 2)) == (1, 2)
    with pytest.raises(sp.BadPayload):
        sp.decode_time(b"\x00")
    record = sp.Record(1, 0x6A9FD26A, b"")
    assert sp.decode_record(record.encode()) == record
    with pytest.raises(sp.BadPayload):
        sp.decode_record(b"\x01\x00")


def test_passwords_to_check() -> None:
    dynamic = sp.DynamicPassword(7, "12345678", ("9999", "00"))
    assert sp.decode_dynamic_password(dynamic.encode()) == dynamic
    offline = sp.OfflinePassword(7, "1234567890")
    assert sp.decode_offline_password(offline.encode()) == offline
    for bad in (b"\x00" * 12, dynamic.encode() + b"\x01", dynamic.encode()[:-1]):
        with pytest.raises(sp.BadPayload):
            sp.decode_dynamic_password(bad)
    with pytest.raises(sp.BadPayload):
        sp.decode_offline_password(b"\x00\x00\x00\x00123456")


def test_ota_payloads() -> None:
    offer = sp.OtaOffer(b"simlock1", 0x42, 1000, 0x12345678)
    assert sp.decode_ota_offer(offer.encode()) == offer
    request = sp.OtaBlockRequest(b"simlock1", 0x42, 64, 32)
    assert sp.decode_ota_block_request(request.encode()) == request
    block = sp.OtaBlock(0, b"simlock1", 0x42, 64, b"data")
    assert sp.decode_ota_block(block.encode()) == block
    result = sp.OtaResult(1, b"simlock1", 0x42)
    assert sp.decode_ota_result(result.encode()) == result
    for decode in (sp.decode_ota_offer, sp.decode_ota_block, sp.decode_ota_result):
        with pytest.raises(sp.BadPayload):
            decode(b"\x00")
    with pytest.raises(sp.BadPayload):
        sp.decode_ota_block_request(b"\x00")


@pytest.mark.parametrize("data", [b"not json\x01", b'{"v":"1"}', b"[1]"])
def test_bad_product_information(data: bytes) -> None:
    with pytest.raises(sp.BadPayload):
        sp.decode_product_info(data)
