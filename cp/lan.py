"""The guest LAN: virtual LAN segments that live entirely inside CP.

A ``Lan`` is a segment CP owns (z/VM CP Planning and Administration, "Guest
LANs"): an owner (a user id or SYSTEM) and a name, a type (QDIO or HIPERS),
a maximum frame size (MFS), a connection limit (MAXCONN), an access list
when RESTRICTED, and a lifetime: PERSISTENT LANs stay until DETACH LAN (a
SYSTEM one is kept in the system directory and comes back at restart),
TRANSIENT ones go when their last NIC leaves.

A ``Nic`` is a simulated network interface card of one virtual machine
(cp.devices.nic is its channel face).  Each NIC has a MAC address: the
system MAC prefix (``VMLAN MACPREFIX`` in system.config, as z/VM's SYSTEM
CONFIG has it) and a 3-byte serial unique in the system, or the directory's
MACID.

Switch rules (one LAN, never across LANs):

* a frame whose destination MAC has the group bit (broadcast and multicast)
  goes to every coupled NIC but the sender;
* a unicast frame goes to the NIC with that MAC, or to nobody;
* every NIC has a bounded receive queue; a frame that finds it full is
  dropped and counted, never stored;
* frames shorter than an Ethernet header or longer than the LAN's MFS are
  refused by the sending NIC (cp.devices.nic answers with unit check).

A LAN may be bridged to the same-named LAN of another vm370 system over UDP
(``Bridge``): every frame of the segment is sent across, the receiving side
switches it by MAC and never sends it back.  The datagram is::

    +0  4  magic C'V370' (ASCII)
    +4  1  version X'01'
    +5  1  flags (zero)
    +6  8  the LAN name, ASCII, blank padded
    +14 n  the Ethernet frame (destination MAC, source MAC, type, data)

A datagram that is not such a header and a frame within the MFS is dropped,
counted in the bridge's ``garbage`` and logged; nothing else happens.

``Pcap`` records the frames of a LAN as a standard pcap file (link type 1,
Ethernet), which tcpdump, tshark and Wireshark read.

A LAN may have a gateway (cp.gateway): a router CP owns on the segment, with
a MAC from this switch's allocator; the switch gives it the frames sent to
its MAC and every broadcast, as to a NIC, and tells it which NIC sent each.
Host port forwards (``LanSwitch.forwards``) reach guests through it.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from cp.devices.nic import NicDevice
from cp.devices.realdevices import ConfigError, config_statements
from cp.gateway.spec import ForwardSpec, parse_config_forward, parse_gateway_address

#: Where PERSISTENT SYSTEM LANs are kept in the system directory.
LAN_FILE = "lans.json"

#: z/VM's default MAC prefix (VMLAN MACPREFIX): X'02' is a locally administered address.
DEFAULT_MAC_PREFIX = 0x020000
#: MFS values z/VM allows per LAN type, and the defaults (z/VM DEFINE LAN).
MFS_CHOICES = {"QDIO": (8192, 16384, 32768, 65536), "HIPERS": (16384, 24576, 40960, 57344)}
DEFAULT_MFS = {"QDIO": 8192, "HIPERS": 16384}
#: Frames waiting per NIC before new ones are dropped.
RECEIVE_QUEUE_LIMIT = 64
ETHERNET_HEADER = 14
MAX_CONNECTIONS = 1024  # what INFINITE means

BRIDGE_MAGIC = b"V370"
BRIDGE_VERSION = 1
BRIDGE_HEADER = struct.Struct(">4sBB8s")


class LanError(Exception):
    """A LAN operation refused: ``str()`` is CP's message, ``rc`` its number."""

    def __init__(self, message: str, rc: int):
        super().__init__(message)
        self.rc = rc


def mac_text(mac: bytes) -> str:
    """A MAC address as z/VM shows it: 02-00-00-00-00-01."""
    return "-".join(f"{b:02X}" for b in mac)


def is_group(mac: bytes) -> bool:
    """Broadcast and multicast addresses have the I/G bit (bit 0 of byte 0, LSB first)."""
    return bool(mac[0] & 1)


@dataclass
class NicStats:
    frames_in: int = 0
    frames_out: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    dropped: int = 0  # arrived while the receive queue was full
    refused: int = 0  # the guest sent a frame the LAN does not take


class Nic:
    """One simulated NIC of a virtual machine (its devices share it)."""

    def __init__(
        self,
        vm,
        vaddr: int,
        nictype: str,
        devices: int,
        mac: bytes,
        queue_limit: int = RECEIVE_QUEUE_LIMIT,
    ):
        self.vm = vm
        self.vaddr = vaddr
        self.nictype = nictype
        self.device_count = devices
        self.mac = mac
        self.lan: Lan | None = None
        self.queue: deque[bytes] = deque()
        self.queue_limit = queue_limit
        self.stats = NicStats()
        self.on_arrival = None  # cp.devices.nic: called when the queue stops being empty

    @property
    def owner(self) -> str:
        return self.vm.userid

    def receive(self, frame: bytes) -> bool:
        """A frame from the LAN; False (counted) when the queue is full."""
        if len(self.queue) >= self.queue_limit:
            self.stats.dropped += 1
            return False
        was_empty = not self.queue
        self.queue.append(frame)
        self.stats.frames_in += 1
        self.stats.bytes_in += len(frame)
        if was_empty and self.on_arrival is not None:
            self.on_arrival()
        return True

    def send(self, frame: bytes) -> None:
        """A frame the guest wrote; the caller checked it with ``check_frame``."""
        self.stats.frames_out += 1
        self.stats.bytes_out += len(frame)
        if self.lan is not None:
            self.lan.switch(frame, self)

    def check_frame(self, frame: bytes) -> str | None:
        """Why the LAN refuses ``frame`` (None if it takes it)."""
        if len(frame) < ETHERNET_HEADER:
            return "short"
        mfs = self.lan.mfs if self.lan is not None else DEFAULT_MFS.get(self.nictype, 8192)
        if len(frame) > mfs:
            return "oversize"
        return None


@dataclass
class Lan:
    owner: str
    name: str
    lantype: str = "QDIO"
    maxconn: int | None = None  # None: INFINITE
    restricted: bool = False
    persistent: bool = True
    mfs: int = 8192
    grants: set[str] = field(default_factory=set)
    nics: list[Nic] = field(default_factory=list)
    bridge: Bridge | None = None
    bridge_spec: str = ""
    tracers: list = field(default_factory=list)
    gateway: object | None = None  # cp.gateway.router.Gateway
    gateway_spec: str = ""  # its address/prefix, kept with a PERSISTENT LAN

    @property
    def key(self) -> tuple[str, str]:
        return self.owner, self.name

    def may_couple(self, userid: str) -> bool:
        return not self.restricted or userid == self.owner or userid in self.grants

    def switch(self, frame: bytes, sender: Nic | None) -> int:
        """Deliver one frame on this segment (``sender`` None: it came over the
        bridge); returns how many NICs took it."""
        for tracer in list(self.tracers):
            try:
                tracer.record(frame)
            except OSError:  # a full disk ends the trace, never the LAN
                tracer.close()
                self.tracers.remove(tracer)
        if sender is not None and self.bridge is not None:
            self.bridge.send(frame)
        destination = frame[:6]
        if is_group(destination):
            targets = [nic for nic in self.nics if nic is not sender]
        else:
            targets = [nic for nic in self.nics if nic.mac == destination and nic is not sender]
        taken = sum(nic.receive(frame) for nic in targets)
        gateway = self.gateway
        if (
            gateway is not None
            and gateway is not sender
            and (is_group(destination) or destination == gateway.mac)
        ):
            taken += gateway.receive(frame, sender)
        return taken

    def to_record(self) -> dict:
        return {
            "owner": self.owner,
            "name": self.name,
            "type": self.lantype,
            "maxconn": self.maxconn,
            "restricted": self.restricted,
            "mfs": self.mfs,
            "grants": sorted(self.grants),
            "bridge": self.bridge_spec,
            "gateway": self.gateway_spec,
        }


class LanSwitch:
    """All LANs and NICs of one system (``system.lans``)."""

    def __init__(self, system, mac_prefix: int = DEFAULT_MAC_PREFIX, bridges: dict | None = None):
        self.system = system
        self.lans: dict[tuple[str, str], Lan] = {}
        self.mac_prefix = mac_prefix & 0xFFFFFF
        self.next_serial = 1
        self.macs: dict[bytes, object] = {}  # NICs and gateways
        self.configured_bridges = dict(bridges or {})  # LAN name -> (local port, peer)
        self.configured_gateways: dict[str, str] = {}  # LAN name -> address/prefix
        self.forwards: list = []  # cp.gateway.forward.Forward

    @classmethod
    def for_system(cls, system) -> LanSwitch:
        """The switch of ``system``: MAC prefix, bridges, gateways and forwards
        from system.config, PERSISTENT SYSTEM LANs from the system directory."""
        config = read_config(system.path)
        switch = cls(system, config.mac_prefix, config.bridges)
        switch.configured_gateways = config.gateways
        switch.load_persistent()
        for options in configured_lans(system.path):
            if switch.find("SYSTEM", options["name"]) is None:
                switch.define("SYSTEM", **options)
        switch.start_configured_forwards(config.forwards)
        return switch

    # -- LANs ---------------------------------------------------------------
    def find(self, owner: str, name: str) -> Lan | None:
        return self.lans.get((owner.upper(), name.upper()))

    def define(
        self,
        owner: str,
        name: str,
        lantype: str = "QDIO",
        maxconn: int | None = None,
        restricted: bool = False,
        persistent: bool = True,
        mfs: int | None = None,
        bridge: str = "",
        gateway: str | None = None,
    ) -> Lan:
        """DEFINE LAN; ``gateway`` (address[/prefix]) starts the LAN's gateway."""
        owner, name = owner.upper(), name.upper()
        if (owner, name) in self.lans:
            raise LanError(f"HCP2800E LAN {owner} {name} already exists", 2800)
        lan = Lan(
            owner, name, lantype, maxconn, restricted, persistent, mfs or DEFAULT_MFS[lantype]
        )
        if restricted:
            lan.grants.add(owner)
        self.lans[lan.key] = lan
        spec = bridge or self.configured_bridges.get(name, "")
        try:
            if spec:
                self.start_bridge(lan, spec)
            gateway = gateway or self.configured_gateways.get(name)
            if gateway is not None:
                self.start_gateway(lan, gateway)
        except LanError:
            self.lans.pop(lan.key, None)
            if lan.bridge is not None:
                lan.bridge.close()
            raise
        self.save_persistent()
        return lan

    def detach(self, lan: Lan) -> list[Nic]:
        """DETACH LAN: every NIC is uncoupled; returns them."""
        nics = list(lan.nics)
        for nic in nics:
            self.uncouple(nic, keep_transient=True)
        self.lans.pop(lan.key, None)
        if lan.bridge is not None:
            lan.bridge.close()
        for tracer in lan.tracers:
            tracer.close()
        self._end_gateway(lan)
        self.save_persistent()
        return nics

    def grant(self, lan: Lan, userid: str) -> None:
        lan.grants.add(userid.upper())
        self.save_persistent()

    def revoke(self, lan: Lan, userid: str) -> list[Nic]:
        """REVOKE also uncouples the user's NICs from the LAN (z/VM SET LAN REVOKE)."""
        userid = userid.upper()
        lan.grants.discard(userid)
        gone = [nic for nic in lan.nics if nic.owner == userid and userid != lan.owner]
        for nic in gone:
            self.uncouple(nic)
        self.save_persistent()
        return gone

    # -- NICs -----------------------------------------------------------------
    def new_mac(self, macid: int | None = None) -> bytes:
        """A MAC address unique in the system: prefix + MACID or the next serial."""
        if macid is not None:
            mac = (self.mac_prefix << 24 | (macid & 0xFFFFFF)).to_bytes(6, "big")
            if mac in self.macs:
                raise LanError(f"HCP2806E MAC address {mac_text(mac)} is already in use", 2806)
            return mac
        while True:
            mac = (self.mac_prefix << 24 | self.next_serial).to_bytes(6, "big")
            self.next_serial = self.next_serial % 0xFFFFFF + 1
            if mac not in self.macs:
                return mac

    def create_nic(
        self, vm, vaddr: int, nictype: str, devices: int, macid: int | None = None
    ) -> Nic:
        nic = Nic(vm, vaddr, nictype, devices, self.new_mac(macid))
        self.macs[nic.mac] = nic
        return nic

    def forget_nic(self, nic: Nic) -> None:
        """The NIC's devices left the VM (DETACH, LOGOFF): uncouple, free the MAC."""
        self.uncouple(nic)
        self.macs.pop(nic.mac, None)

    def couple(self, nic: Nic, owner: str, name: str) -> Lan:
        lan = self.find(owner, name)
        if lan is None:
            raise LanError(f"HCP2801E LAN {owner.upper()} {name.upper()} does not exist", 2801)
        if nic.lan is lan:
            return lan
        if lan.lantype != nic.nictype:
            raise LanError(
                f"HCP2802E NIC {nic.vaddr:04X} type {nic.nictype} is not "
                f"compatible with LAN {lan.owner} {lan.name} type {lan.lantype}",
                2802,
            )
        if not lan.may_couple(nic.owner):
            raise LanError(
                f"HCP2803E LAN {lan.owner} {lan.name} is restricted; {nic.owner} is not authorized",
                2803,
            )
        limit = lan.maxconn if lan.maxconn is not None else MAX_CONNECTIONS
        if len(lan.nics) >= limit:
            raise LanError(
                f"HCP2804E LAN {lan.owner} {lan.name} has reached its maximum "
                f"number of connections ({limit})",
                2804,
            )
        self.uncouple(nic)
        nic.lan = lan
        lan.nics.append(nic)
        return lan

    def uncouple(self, nic: Nic, keep_transient: bool = False) -> Lan | None:
        """Disconnect a NIC; a TRANSIENT LAN goes with its last NIC."""
        lan, nic.lan = nic.lan, None
        if lan is None:
            return None
        if nic in lan.nics:
            lan.nics.remove(nic)
        if lan.gateway is not None:
            lan.gateway.forget(nic)
        if not lan.persistent and not lan.nics and not keep_transient:
            self.detach(lan)
        return lan

    # -- persistence ------------------------------------------------------------
    def save_persistent(self) -> None:
        """Write the PERSISTENT SYSTEM LANs to the system directory (atomically)."""
        records = [
            lan.to_record()
            for lan in self.lans.values()
            if lan.persistent and lan.owner == "SYSTEM"
        ]
        path = Path(self.system.path) / LAN_FILE
        if not records and not path.exists():
            return
        tmp = path.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(records, f, indent=1)
            os.replace(tmp, path)
        except OSError as err:
            self.system.log(f"LAN DEFINITIONS NOT SAVED: {err.strerror or err}")

    def load_persistent(self) -> None:
        path = Path(self.system.path) / LAN_FILE
        if not path.exists():
            return
        try:
            records = json.loads(path.read_text())
            for r in records:
                lan = Lan(
                    r["owner"],
                    r["name"],
                    r["type"],
                    r["maxconn"],
                    r["restricted"],
                    True,
                    r["mfs"],
                    set(r["grants"]),
                    bridge_spec=r.get("bridge", ""),
                )
                self.lans[lan.key] = lan
                spec = lan.bridge_spec or self.configured_bridges.get(lan.name, "")
                if spec:
                    self.start_bridge(lan, spec)
                gateway = r.get("gateway") or self.configured_gateways.get(lan.name)
                if gateway:
                    self.start_gateway(lan, gateway)
        except (OSError, ValueError, KeyError, TypeError, LanError) as err:
            self.system.log(f"LAN DEFINITIONS IN {LAN_FILE} NOT USED: {err}")

    # -- bridge -----------------------------------------------------------------
    def start_bridge(self, lan: Lan, spec: str) -> None:
        local, peer = parse_bridge(spec)
        try:
            lan.bridge = Bridge(lan, local, peer, self.system.log)
        except OSError as err:
            raise LanError(
                f"HCP2807E LAN {lan.owner} {lan.name} bridge {spec} not started: "
                f"{err.strerror or err}",
                2807,
            ) from None
        lan.bridge_spec = spec

    # -- gateway (cp.gateway) ------------------------------------------------------
    def start_gateway(self, lan: Lan, address: str | None) -> object:
        """Give ``lan`` its gateway at ``address[/prefix]`` (None: 10.0.0.1/24)."""
        from cp.gateway.router import Gateway  # the TCP/IP stack is loaded on first use

        if lan.gateway is not None:
            raise LanError(
                f"HCP2820E LAN {lan.owner} {lan.name} already has a gateway at "
                f"{lan.gateway.describe()}",
                2820,
            )
        try:
            interface = parse_gateway_address(address)
        except ValueError as err:
            raise LanError(f"HCP2821E Gateway address {err}", 2821) from None
        mac = self.new_mac()
        lan.gateway = Gateway(lan, interface, mac, self.system.log)
        self.macs[mac] = lan.gateway
        lan.gateway_spec = lan.gateway.describe()
        self.system.log(
            f"LAN {lan.owner} {lan.name} GATEWAY STARTED AT {lan.gateway_spec} MAC {mac_text(mac)}"
        )
        self.save_persistent()
        return lan.gateway

    def stop_gateway(self, lan: Lan) -> None:
        """SET LAN ... GATEWAY OFF: the gateway and every relay through it end."""
        if lan.gateway is None:
            raise LanError(f"HCP2822E LAN {lan.owner} {lan.name} has no gateway", 2822)
        self._end_gateway(lan)
        self.save_persistent()

    def _end_gateway(self, lan: Lan) -> None:
        gateway, lan.gateway, lan.gateway_spec = lan.gateway, None, ""
        if gateway is not None:
            gateway.close()
            self.macs.pop(gateway.mac, None)
            self.system.log(f"LAN {lan.owner} {lan.name} GATEWAY STOPPED")

    def gateways(self, lan_name: str | None = None) -> list:
        """The running gateways (of the LANs named ``lan_name`` when given)."""
        return [
            lan.gateway
            for lan in sorted(self.lans.values(), key=lambda lan: lan.key)
            if lan.gateway is not None and (lan_name is None or lan.name == lan_name)
        ]

    def add_forward(self, spec: ForwardSpec):
        """A host port forward (not yet listening: ``await forward.start()``)."""
        from cp.gateway.forward import Forward

        forward = Forward(spec, lambda: self.gateways(spec.lan), self.system.log)
        self.forwards.append(forward)
        return forward

    def remove_forward(self, forward) -> None:
        forward.close()
        if forward in self.forwards:
            self.forwards.remove(forward)

    def start_configured_forwards(self, specs: list[ForwardSpec]) -> None:
        """The VMLAN FORWARD statements: each listens once CP's event loop runs;
        one that cannot listen is logged and left out."""
        import asyncio

        if not specs:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.system.log("VMLAN FORWARD NOT STARTED: THE SYSTEM RUNS NO EVENT LOOP")
            return
        for spec in specs:
            loop.create_task(self._listen(self.add_forward(spec)))

    async def _listen(self, forward) -> None:
        try:
            await forward.start()
            self.system.log(f"VMLAN FORWARD {forward.describe()} LISTENING")
        except OSError as err:
            self.remove_forward(forward)
            reason = os.strerror(err.errno) if err.errno else str(err)
            self.system.log(f"VMLAN FORWARD {forward.name} NOT STARTED: {reason}")

    def close(self) -> None:
        for forward in list(self.forwards):
            forward.close()
        self.forwards.clear()
        for lan in self.lans.values():
            if lan.bridge is not None:
                lan.bridge.close()
            for tracer in lan.tracers:
                tracer.close()
            if lan.gateway is not None:
                lan.gateway.close()


def parse_bridge(spec: str) -> tuple[int, tuple[str, int]]:
    """``localport:host:port`` -> (local UDP port, (peer host, peer port))."""
    parts = spec.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        raise LanError(f"HCP2808E Bridge {spec} is not localport:host:port", 2808)
    local, port = int(parts[0]), int(parts[2])
    if not (0 <= local < 65536 and 0 < port < 65536):
        raise LanError(f"HCP2808E Bridge {spec} is not localport:host:port", 2808)
    return local, (parts[1], port)


@dataclass
class LanConfig:
    """The VMLAN statements of system.config."""

    mac_prefix: int = DEFAULT_MAC_PREFIX
    bridges: dict[str, str] = field(default_factory=dict)  # LAN name -> lport:host:port
    gateways: dict[str, str] = field(default_factory=dict)  # LAN name -> address[/prefix]
    forwards: list[ForwardSpec] = field(default_factory=list)


VMLAN_SYNTAX = (
    "VMLAN MACPREFIX xxxxxx | VMLAN BRIDGE lanname localport:host:port | "
    "VMLAN GATEWAY lanname [address[/prefix]] | "
    "VMLAN FORWARD lanname [bindaddr:]hostport userid port"
)


def read_config(sysdir) -> LanConfig:
    """``VMLAN MACPREFIX xxxxxx``, ``VMLAN BRIDGE lanname localport:host:port``,
    ``VMLAN GATEWAY lanname [address[/prefix]]`` and ``VMLAN FORWARD lanname
    [bindaddr:]hostport userid port`` statements of system.config."""
    config = LanConfig()
    prefix, bridges = DEFAULT_MAC_PREFIX, config.bridges
    for number, words in config_statements(sysdir, "VMLAN"):
        upper = [w.upper() for w in words]
        if len(words) == 3 and upper[1] == "MACPREFIX":
            try:
                prefix = int(words[2], 16)
            except ValueError:
                raise ConfigError(f"line {number}: invalid MAC prefix {words[2]}") from None
            if not 0 <= prefix <= 0xFFFFFF or not prefix >> 16 & 0x02:
                # z/VM: the prefix must be a locally administered address (X'02' bit).
                raise ConfigError(
                    f"line {number}: MAC prefix {words[2]} is not 02xxxx-style locally administered"
                )
        elif len(words) == 4 and upper[1] == "BRIDGE":
            try:
                parse_bridge(words[3])
            except LanError as err:
                raise ConfigError(f"line {number}: {err}") from None
            bridges[upper[2]] = words[3]
        elif len(words) in (3, 4) and upper[1] == "GATEWAY":
            try:
                address = parse_gateway_address(words[3] if len(words) == 4 else None)
            except ValueError as err:
                raise ConfigError(f"line {number}: gateway address {err}") from None
            config.gateways[upper[2]] = f"{address.ip}/{address.network.prefixlen}"
        elif len(words) >= 2 and upper[1] == "FORWARD":
            try:
                config.forwards.append(parse_config_forward(words[2:]))
            except ValueError as err:
                raise ConfigError(f"line {number}: {err}") from None
        else:
            raise ConfigError(f"line {number}: {VMLAN_SYNTAX}")
    config.mac_prefix = prefix
    return config


def configured_lans(sysdir) -> list[dict]:
    """The ``DEFINE LAN`` statements of system.config, as z/VM's SYSTEM CONFIG
    has them (z/VM CP Planning and Administration, DEFINE LAN statement): a
    SYSTEM-owned LAN that exists from the system's start.  ``DEFINE LAN name
    [OWNERID SYSTEM] [TYPE QDIO|HIPERS] [MAXCONN n|INFINITE]
    [RESTRICTED|UNRESTRICTED] [MFS n]``; returns the ``LanSwitch.define``
    keyword arguments of each."""
    lans = []
    for number, words in config_statements(sysdir, "DEFINE"):
        lans.append(_define_lan_statement(number, [w.upper() for w in words]))
    return lans


def _define_lan_statement(number: int, words: list[str]) -> dict:
    usage = (
        f"line {number}: DEFINE LAN name [OWNERID SYSTEM] [TYPE QDIO|HIPERS] "
        "[MAXCONN n|INFINITE] [RESTRICTED|UNRESTRICTED] [MFS n]"
    )
    if len(words) < 3 or words[1] != "LAN" or len(words[2]) > 8 or not words[2].isalnum():
        raise ConfigError(usage)
    options = {"name": words[2], "lantype": "QDIO", "maxconn": None, "restricted": False}
    rest, mfs = words[3:], None
    while rest:
        key = rest.pop(0)
        value = rest.pop(0) if key in ("OWNERID", "TYPE", "MAXCONN", "MFS") and rest else None
        if key == "OWNERID" and value == "SYSTEM":
            continue
        if key == "TYPE" and value in ("QDIO", "HIPERS", "HIPERSOCKETS"):
            options["lantype"] = "HIPERS" if value.startswith("HIPER") else "QDIO"
        elif key == "MAXCONN" and value is not None and (value == "INFINITE" or value.isdigit()):
            options["maxconn"] = None if value == "INFINITE" else int(value)
        elif key in ("RESTRICTED", "UNRESTRICTED"):
            options["restricted"] = key == "RESTRICTED"
        elif key == "MFS" and value is not None and value.isdigit():
            mfs = int(value)
        else:
            raise ConfigError(usage)
    if mfs is not None and mfs not in MFS_CHOICES[options["lantype"]]:
        raise ConfigError(f"line {number}: MFS {mfs} is not valid for TYPE {options['lantype']}")
    options["mfs"] = mfs
    return options


# ================================================================ the UDP bridge


def bridge_datagram(lan_name: str, frame: bytes) -> bytes:
    return (
        BRIDGE_HEADER.pack(
            BRIDGE_MAGIC, BRIDGE_VERSION, 0, lan_name.encode("ascii", "replace").ljust(8)[:8]
        )
        + frame
    )


def parse_datagram(data: bytes, lan_name: str, mfs: int) -> bytes | None:
    """The frame of a bridge datagram for ``lan_name``, or None for garbage."""
    if len(data) < BRIDGE_HEADER.size + ETHERNET_HEADER:
        return None
    magic, version, flags, name = BRIDGE_HEADER.unpack_from(data)
    frame = data[BRIDGE_HEADER.size :]
    if magic != BRIDGE_MAGIC or version != BRIDGE_VERSION or flags:
        return None
    if name.rstrip(b" ").decode("ascii", "replace").upper() != lan_name or len(frame) > mfs:
        return None
    return frame


class Bridge:
    """The UDP link of one LAN to the same LAN of another system."""

    LOG_LIMIT = 10  # garbage datagrams logged one by one; the rest only counted

    def __init__(self, lan: Lan, local_port: int, peer: tuple[str, int], log):
        self.lan = lan
        self.peer = peer
        self.log = log
        self.sent = self.received = self.garbage = self.send_errors = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind(
                ("127.0.0.1" if peer[0] in ("127.0.0.1", "localhost") else "", local_port)
            )
        except OSError:
            self.sock.close()
            raise
        self.sock.setblocking(False)
        self.loop = None
        self._watch()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def _watch(self) -> None:
        import asyncio

        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop yet: poll() drains it
        self.loop.add_reader(self.sock.fileno(), self.poll)

    def send(self, frame: bytes) -> None:
        if self.loop is None:
            self._watch()  # made before the event loop ran: watch from now on
        try:
            self.sock.sendto(bridge_datagram(self.lan.name, frame), self.peer)
            self.sent += 1
        except OSError:
            self.send_errors += 1  # a peer not there yet: the frame is lost, as on a cable

    def poll(self) -> int:
        """Take every waiting datagram; returns how many frames were switched."""
        switched = 0
        while True:
            try:
                data, source = self.sock.recvfrom(70000)
            except (BlockingIOError, InterruptedError):
                return switched
            except OSError:
                return switched
            frame = parse_datagram(data, self.lan.name, self.lan.mfs)
            if frame is None:
                self.garbage += 1
                if self.garbage <= self.LOG_LIMIT:
                    self.log(
                        f"LAN {self.lan.owner} {self.lan.name} BRIDGE: {len(data)} BYTES "
                        f"OF GARBAGE FROM {source[0]}:{source[1]} DROPPED"
                    )
                continue
            self.received += 1
            self.lan.switch(frame, None)
            switched += 1

    def close(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            try:
                self.loop.remove_reader(self.sock.fileno())
            except (ValueError, OSError):
                pass
        self.sock.close()


# ================================================================ pcap

PCAP_HEADER = struct.Struct("<IHHiIII")
PCAP_RECORD = struct.Struct("<IIII")
LINKTYPE_ETHERNET = 1


class Pcap:
    """Frames as a pcap file (the libpcap format: magic A1B2C3D4, version 2.4)."""

    def __init__(self, path, snaplen: int = 65535):
        self.path = Path(path)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.file = os.fdopen(fd, "wb")  # owner-only, as everything in the system directory
        self.file.write(PCAP_HEADER.pack(0xA1B2C3D4, 2, 4, 0, 0, snaplen, LINKTYPE_ETHERNET))
        self.snaplen = snaplen
        self.frames = 0

    def record(self, frame: bytes) -> None:
        now = time.time()
        kept = frame[: self.snaplen]
        self.file.write(PCAP_RECORD.pack(int(now), int(now % 1 * 1_000_000), len(kept), len(frame)))
        self.file.write(kept)
        self.file.flush()
        self.frames += 1

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()


# ================================================================ NICs of a virtual machine


def create_nic_devices(vm, vaddr: int, nictype: str, devices: int, macid: int | None = None):
    """DEFINE NIC and NICDEF: a NIC of ``devices`` subchannels at ``vaddr``...;
    returns the Nic.  Frames arriving at an empty queue give attention on
    the first subchannel (cp.devices.nic)."""
    nic = vm.system.lans.create_nic(vm, vaddr, nictype, devices, macid)
    for address in range(vaddr, vaddr + devices):
        vm.devices[address] = NicDevice(address, vm, nic=nic)
    nic.on_arrival = vm.devices[vaddr].arrival
    return nic


def logon_nics(vm) -> list[str]:
    """The directory's NICDEF statements at logon: each NIC is created and,
    when it names a LAN, coupled to it; returns the lines LOGON shows."""
    lines = []
    for nicdef in vm.entry.nics:
        try:
            nic = create_nic_devices(
                vm, nicdef.vaddr, _nic_type(nicdef.nictype), nicdef.devices, nicdef.macid
            )
            if nicdef.lan_name:
                lan = vm.system.lans.couple(nic, nicdef.lan_owner or vm.userid, nicdef.lan_name)
                lines.append(f"NIC {nic.vaddr:04X} is connected to LAN {lan.owner} {lan.name}")
        except LanError as err:
            lines.append(str(err))
    return lines


def _nic_type(word: str) -> str:
    return "HIPERS" if word.startswith("HIPER") else "QDIO"
