"""One side's sending on the serial line: requests, retries and waking.

From Tuya's "MCU Integration Protocol for Zigbee Lock" (summary in
EDIT-Aeterna/tuya-zigbee-lock-local, docs/PHASE1_PROTOCOL_REPORT.md section 3):

- a request waits for the answer with the same command and sequence, 500 ms,
  and is sent again twice before it is given up;
- a side that sleeps is woken first: 7 zero bytes and a wake frame (module to
  MCU sequence 0x55AA, MCU to module 0x0000), answered with the same frame; a
  side that heard a frame stays awake 500 ms. The MCU answers a wake within
  20 ms, or the module tries twice more and keeps its requests until the
  MCU next talks;
- one request is in flight at a time; the others wait in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .serial_frames import WAKE_PREAMBLE, SerialFrame, encode, next_seq
from .serial_payloads import SerialCommand

RESPONSE_TIMEOUT_S: Final = 0.5
TRIES: Final = 3
AWAKE_S: Final = 0.5

Answered = Callable[[SerialFrame], None]
GaveUp = Callable[[], None]


@dataclass
class Request:
    """A request on the line and what to do with its answer."""

    frame: SerialFrame
    on_answer: Answered | None = None
    on_give_up: GaveUp | None = None
    timeout: float = RESPONSE_TIMEOUT_S
    sent_at: float = 0.0
    tries: int = 0


class LineSender:
    """Sends one side's frames: answers at once, requests in order with retries."""

    def __init__(
        self,
        write: Callable[[bytes], None],
        clock: Callable[[], float],
        *,
        wake_seq: int,
        wake_timeout: float,
    ) -> None:
        self._write = write
        self._clock = clock
        self._wake_seq = wake_seq
        self._wake_timeout = wake_timeout
        self._seq = 0
        self.queue: deque[Request] = deque()
        self.in_flight: Request | None = None
        self._waking: Request | None = None
        self._wake_failed = False
        self._peer_awake_until = float("-inf")
        self.given_up: list[SerialFrame] = []

    def next_seq(self) -> int:
        """Return a fresh sequence number."""
        self._seq = next_seq(self._seq)
        return self._seq

    def request(
        self,
        command: int,
        data: bytes = b"",
        *,
        seq: int | None = None,
        on_answer: Answered | None = None,
        on_give_up: GaveUp | None = None,
        timeout: float = RESPONSE_TIMEOUT_S,
    ) -> int:
        """Queue a request; return its sequence number."""
        seq = self.next_seq() if seq is None else seq
        self.queue.append(
            Request(SerialFrame(seq, command, data), on_answer, on_give_up, timeout)
        )
        self._send_next()
        return seq

    def answer(self, request: SerialFrame, data: bytes = b"") -> None:
        """Answer a request of the peer: same command, same sequence."""
        self._emit(SerialFrame(request.seq, request.command, data))

    def heard(self) -> None:
        """Note that the peer talked: it is awake, and what waited can go."""
        self._peer_awake_until = self._clock() + AWAKE_S
        self._wake_failed = False
        self._send_next()

    def take(self, frame: SerialFrame) -> bool:
        """Take an answer to our wake or request; False if it is not one."""
        waking = self._waking
        if waking is not None and frame == waking.frame:
            self._waking = None
            self.heard()
            return True
        request = self.in_flight
        if (
            request is None
            or frame.seq != request.frame.seq
            or frame.command != request.frame.command
        ):
            return False
        self.in_flight = None
        if request.on_answer is not None:
            request.on_answer(frame)
        self._send_next()
        return True

    def tick(self) -> None:
        """Send again what was not answered in time, or give it up."""
        now = self._clock()
        waking = self._waking
        if waking is not None and now - waking.sent_at >= waking.timeout:
            if waking.tries < TRIES:
                self._send(waking, preamble=True)
            else:
                self._waking = None
                self._wake_failed = True
        request = self.in_flight
        if request is not None and now - request.sent_at >= request.timeout:
            if request.tries < TRIES:
                self._send(request)
            else:
                self.in_flight = None
                self.given_up.append(request.frame)
                if request.on_give_up is not None:
                    request.on_give_up()
                self._send_next()

    def _send_next(self) -> None:
        if self.in_flight is not None or not self.queue or self._waking is not None:
            return
        if self._clock() >= self._peer_awake_until:
            if not self._wake_failed:
                wake = SerialFrame(self._wake_seq, SerialCommand.WAKE)
                self._waking = Request(wake, timeout=self._wake_timeout)
                self._send(self._waking, preamble=True)
            return
        self.in_flight = self.queue.popleft()
        self._send(self.in_flight)

    def _send(self, request: Request, *, preamble: bool = False) -> None:
        request.tries += 1
        request.sent_at = self._clock()
        self._peer_awake_until = request.sent_at + AWAKE_S
        self._write((WAKE_PREAMBLE if preamble else b"") + encode(request.frame))

    def _emit(self, frame: SerialFrame) -> None:
        self._peer_awake_until = self._clock() + AWAKE_S
        self._write(encode(frame))
