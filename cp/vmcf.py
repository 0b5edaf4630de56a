"""The Virtual Machine Communication Facility (VMCF): DIAGNOSE X'68'.

A subset of VMCF as VM/370 Release 6 and VM/SP document it (VM/SP System
Programmer's Guide, "Virtual Machine Communication Facility"), enough for a
service machine to take SMSG from users and for two machines to exchange
messages.  docs/lan.md lists the layouts and return codes.

``DIAG Rx,Ry,X'68'``: Rx holds the address of the 40-byte parameter list
(VMCPARM, doubleword aligned); on return Ry holds the return code and the
condition code is 0 when it is 0, else 1 (VMCF's own codes, docs/lan.md).

VMCPARM::

    +0  VMCPFLG1 (X'40': AUTHORIZE accepts SMSG)   +1 reserved
    +2  VMCPFUNC function: 0 AUTHORIZE, 1 UNAUTHORIZE, 2 SEND, 3 SEND/RECV,
                 5 RECEIVE, 7 REPLY
    +4  VMCPMID  message identifier        +8  VMCPUSER the other user id (EBCDIC)
    +16 VMCPVADA address A  +20 VMCPLENA length A   (AUTHORIZE: the external
                 interruption buffer; SEND, SEND/RECV, REPLY: the data sent)
    +24 VMCPVADB address B  +28 VMCPLENB length B   (SEND/RECV: the reply buffer;
                 RECEIVE: where the data goes)
    +32 VMCPUWRD user doubleword, passed to the receiver

Each message for a machine is presented as an external interruption with
code X'4001' after CP stored the 40-byte message header (VMCMHDR) in its
buffer::

    +0  VMCMSTAT X'80' a reply arrived (the SEND/RECV is complete),
                 X'40' a special message (SMSG)
    +2  VMCMFUNC the function (2, 3, 7; X'0008' SMSG)
    +4  VMCMMID  +8 VMCMUSER the sender  +16 VMCMLENA data length
    +20 VMCMLENB the reply room (SEND/RECV)  +24 VMCMUWRD  +32 reserved

An SMSG's text (up to 129 bytes, EBCDIC) follows the header in the buffer
(cut to the buffer's length); the machine RECEIVEs the data of a SEND.  CP
presents one message at a time: the next when the one before was taken and
the machine is enabled for external interruptions again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from s390.ebcdic import from_ebcdic, to_ebcdic

EXT_VMCF = 0x4001
AUTHORIZE, UNAUTHORIZE, SEND, SEND_RECV, RECEIVE, REPLY = 0, 1, 2, 3, 5, 7
SMSG_FUNCTION = 8
FLAG_SMSG = 0x40  # VMCPFLG1: AUTHORIZE accepts SMSG
STAT_RESPONSE, STAT_SMSG = 0x80, 0x40
HEADER_LENGTH = 40

# Return codes in Ry (this system's VMCF subset, docs/lan.md).
RC_OK = 0
RC_BAD_FUNCTION = 1  # function not in the subset
RC_NOT_AUTHORIZED = 2  # the issuer is not AUTHORIZEd (RECEIVE, REPLY)
RC_BAD_ADDRESS = 3  # a buffer outside the machine's storage
RC_TARGET_UNAVAILABLE = 4  # target not logged on or not AUTHORIZEd
RC_NO_MESSAGE = 6  # no such message (RECEIVE, REPLY)
RC_TRUNCATED = 7  # the data did not fit: cut to the buffer
RC_LIMIT = 8  # the target has too many messages waiting
RC_BUFFER_SMALL = 9  # AUTHORIZE: buffer shorter than a header

QUEUE_LIMIT = 100


@dataclass
class Message:
    function: int
    sender: str
    mid: int
    data: bytes
    uwrd: bytes = bytes(8)
    reply_room: int = 0
    reply_address: int = 0
    status: int = 0
    received: bool = False


class VmcfUser:
    """One AUTHORIZEd virtual machine."""

    def __init__(self, vm, buffer: int, length: int, smsg: bool):
        self.vm = vm
        self.buffer = buffer
        self.length = length
        self.smsg = smsg
        self.queue: deque[Message] = deque()  # waiting to be presented
        self.presented: list[Message] = []  # presented, not yet RECEIVEd/REPLYd
        self.current: Message | None = None  # its header is in the buffer


class Vmcf:
    """VMCF of one system (``system.vmcf``)."""

    def __init__(self, system):
        self.system = system
        self.users: dict[str, VmcfUser] = {}

    def user(self, userid: str) -> VmcfUser | None:
        """The AUTHORIZEd machine of ``userid`` (a stale one after LOGOFF is dropped)."""
        user = self.users.get(userid)
        if user is not None and self.system.find_user(userid) is not user.vm:
            del self.users[userid]
            return None
        return user

    # -- SMSG -------------------------------------------------------------------
    def smsg(self, sender: str, target_vm, text: str) -> bool:
        """Deliver an SMSG through VMCF when the target accepts it; False if it does not."""
        user = self.user(target_vm.userid)
        if user is None or not user.smsg:
            return False
        data = to_ebcdic(text[:129])
        return self._queue(user, Message(SMSG_FUNCTION, sender, 0, data, status=STAT_SMSG))

    # -- DIAGNOSE X'68' ------------------------------------------------------------
    def diagnose(self, vm, address: int) -> int:
        mem = vm.cpu.mem
        if address & 7 or address + HEADER_LENGTH > len(mem):
            return RC_BAD_ADDRESS
        p = bytes(mem[address : address + HEADER_LENGTH])
        function = int.from_bytes(p[2:4], "big")
        handler = {
            AUTHORIZE: self._authorize,
            UNAUTHORIZE: self._unauthorize,
            SEND: self._send,
            SEND_RECV: self._send,
            RECEIVE: self._receive,
            REPLY: self._reply,
        }.get(function)
        if handler is None:
            return RC_BAD_FUNCTION
        rc = handler(vm, p, function)
        self.present_next(vm)
        return rc

    def _authorize(self, vm, p: bytes, function: int) -> int:
        buffer, length = _word(p, 16), _word(p, 20)
        if length < HEADER_LENGTH:
            return RC_BUFFER_SMALL
        if buffer + length > len(vm.cpu.mem):
            return RC_BAD_ADDRESS
        self.users[vm.userid] = VmcfUser(vm, buffer, length, bool(p[0] & FLAG_SMSG))
        return RC_OK

    def _unauthorize(self, vm, p: bytes, function: int) -> int:
        return RC_OK if self.users.pop(vm.userid, None) is not None else RC_NOT_AUTHORIZED

    def _send(self, vm, p: bytes, function: int) -> int:
        target = self.user(_userid(p))
        if target is None:
            return RC_TARGET_UNAVAILABLE
        address, length = _word(p, 16), _word(p, 20)
        if address + length > len(vm.cpu.mem):
            return RC_BAD_ADDRESS
        message = Message(
            function,
            vm.userid,
            _word(p, 4),
            bytes(vm.cpu.mem[address : address + length]),
            p[32:40],
        )
        if function == SEND_RECV:
            message.reply_address, message.reply_room = _word(p, 24), _word(p, 28)
            if message.reply_address + message.reply_room > len(vm.cpu.mem):
                return RC_BAD_ADDRESS
        return RC_OK if self._queue(target, message) else RC_LIMIT

    def _receive(self, vm, p: bytes, function: int) -> int:
        user = self.user(vm.userid)
        if user is None:
            return RC_NOT_AUTHORIZED
        message = _find(user.presented, _userid(p), _word(p, 4))
        if message is None:
            return RC_NO_MESSAGE
        address, room = _word(p, 24), _word(p, 28)
        if address + room > len(vm.cpu.mem):
            return RC_BAD_ADDRESS
        moved = message.data[:room]
        vm.cpu.mem[address : address + len(moved)] = moved
        message.received = True
        if message.function != SEND_RECV:
            user.presented.remove(message)
        return RC_OK if len(moved) == len(message.data) else RC_TRUNCATED

    def _reply(self, vm, p: bytes, function: int) -> int:
        user = self.user(vm.userid)
        if user is None:
            return RC_NOT_AUTHORIZED
        message = _find(user.presented, _userid(p), _word(p, 4))
        if message is None or message.function != SEND_RECV:
            return RC_NO_MESSAGE
        address, length = _word(p, 16), _word(p, 20)
        if address + length > len(vm.cpu.mem):
            return RC_BAD_ADDRESS
        user.presented.remove(message)
        data = bytes(vm.cpu.mem[address : address + length])
        sender_vm = self.system.find_user(message.sender)
        if sender_vm is None:
            return RC_TARGET_UNAVAILABLE
        moved = data[: message.reply_room]
        sender_vm.cpu.mem[message.reply_address : message.reply_address + len(moved)] = moved
        sender = self.user(message.sender)
        if sender is not None:
            self._queue(
                sender,
                Message(
                    REPLY,
                    vm.userid,
                    message.mid,
                    b"",
                    message.uwrd,
                    status=STAT_RESPONSE,
                    reply_room=len(moved),
                ),
            )
        return RC_OK if len(moved) == len(data) else RC_TRUNCATED

    # -- presenting messages ---------------------------------------------------------
    def _queue(self, user: VmcfUser, message: Message) -> bool:
        if len(user.queue) >= QUEUE_LIMIT:
            return False
        user.queue.append(message)
        self.present_next(user.vm)
        return True

    def present_next(self, vm) -> None:
        """Store the next message's header and make X'4001' pending, when the
        one before was taken and the machine is enabled for external
        interruptions (PSW bit 7), so that a header is never overwritten
        while the machine handles it."""
        user = self.user(vm.userid)
        if user is None or not user.queue:
            return
        cpu = vm.cpu
        if cpu.vmcf_pending() or not cpu.get_psw()[0] & 0x01:
            return
        message = user.queue.popleft()
        header = _header(message)
        text = message.data if message.function == SMSG_FUNCTION else b""
        stored = (header + text)[: user.length]
        cpu.mem[user.buffer : user.buffer + len(stored)] = stored
        if message.function in (SEND, SEND_RECV):
            user.presented.append(message)
        cpu.post_external(EXT_VMCF)
        vm.wake()

    def pending(self, vm) -> bool:
        user = self.users.get(vm.userid)
        return user is not None and bool(user.queue)


def _header(m: Message) -> bytes:
    length = m.reply_room if m.function == REPLY else len(m.data)
    room = m.reply_room if m.function == SEND_RECV else 0
    return (
        bytes([m.status, 0])
        + m.function.to_bytes(2, "big")
        + m.mid.to_bytes(4, "big")
        + to_ebcdic(m.sender.ljust(8))
        + length.to_bytes(4, "big")
        + room.to_bytes(4, "big")
        + m.uwrd
        + bytes(8)
    )


def _word(p: bytes, offset: int) -> int:
    return int.from_bytes(p[offset : offset + 4], "big")


def _userid(p: bytes) -> str:
    return from_ebcdic(p[8:16]).strip().upper()


def _find(messages: list[Message], sender: str, mid: int) -> Message | None:
    return next((m for m in messages if m.sender == sender and m.mid == mid), None)


def diag_68(vm, rx: int, ry: int) -> None:
    """DIAGNOSE X'68' (cp.diag's table): Rx = parameter list, Ry = return code."""
    rc = vm.system.vmcf.diagnose(vm, vm.cpu.gpr[rx & 15])
    vm.cpu.gpr[ry & 15] = rc
    vm.cpu.set_cc(0 if rc == RC_OK else 1)
