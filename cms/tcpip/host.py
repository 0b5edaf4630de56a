"""The network host of one CMS virtual machine: its TCP/IP stack over its NIC.

``network_of(cms)`` starts it once per CMS IPL (the first time it is
needed; CMS IPL starts it quietly when the VM has a NIC and an address) from
PROFILE TCPIP / HOSTS LOCAL / TCPIP DATA (cms.tcpip.config): the NIC driver
(cms.tcpip.driver) learns the adapter's MAC, a ``tcpip.Stack`` is made for
the VM's address, and a gratuitous ARP tells the LAN (and CP's gateway)
who has the address.

Everything runs on the VM's processor, in the VM's time:

* ``pump()`` reads every frame waiting at the NIC into the stack and runs
  the stack's timers;
* ``wait_until(predicate, timeout)`` pumps and, while the predicate is
  false, sleeps in an enabled wait (``services.wait_io``) until the NIC's
  attention, the stack's next timer or the timeout; an attention from the
  user (HX) is taken as at every CMS safe point;
* while CMS waits at VM READ, ``read_console`` keeps the stack working: a
  user idle at the Ready prompt answers PING and ARP and its connections
  keep their timers.

Nothing ever polls in a loop: between frames and timers the VM sleeps.
"""

from __future__ import annotations

import asyncio
import time

from cms.tcpip.config import NetConfig, NetworkError, read_config
from cms.tcpip.driver import NicDriver, find_nic
from tcpip import SocketError, Stack

#: The longest sleep without a timer due (the VM is woken by its NIC anyway).
IDLE_WAIT = 60.0
#: The shortest sleep for a timer: a timer the stack calls due again and
#: again can never make the VM spin.
TIMER_FLOOR = 0.001


def network_of(cms) -> NetworkHost:
    """The VM's network host, started on first use (NetworkError, a
    CMSError, when the VM has no NIC, the NIC is not coupled or no address
    is configured; nothing is kept then, so a later try starts afresh)."""
    net = getattr(cms, "network", None)
    if net is None:
        net = NetworkHost.start(cms)
        cms.network = net
    return net


def start_if_configured(cms) -> NetworkHost | None:
    """CMS IPL: start the stack when the VM has a coupled NIC and an address,
    silently; anything missing leaves it to the first command that needs it
    (which then says what is missing)."""
    try:
        config = read_config(cms)
        if config.address is None:
            return None  # no CP command for a user TCP/IP does not know
        cms.network = NetworkHost.start(cms, config)
        return cms.network
    except NetworkError:
        return None


class NetworkHost:
    """The TCP/IP stack of one VM and the NIC it runs over."""

    def __init__(self, cms, config: NetConfig, driver: NicDriver, clock=time.monotonic):
        self.cms = cms
        self.services = cms.services
        self.config = config
        self.driver = driver
        self.clock = clock
        self.stack = Stack(
            mac=driver.mac,
            address=config.address,
            netmask=config.netmask,
            gateway=config.gateway,
            send_frame=driver.send,
            clock=clock,
            name=cms.services.userid,
        )
        self.next_timer: float | None = None  # clock() when the stack's next timer is due
        self.faults = 0  # exceptions of the stack while CMS waited at the console

    @classmethod
    def start(cls, cms, config: NetConfig | None = None) -> NetworkHost:
        config = config or read_config(cms)
        vaddr, lan = find_nic(cms.services, config.nic)
        if lan is None:
            raise NetworkError(f"NIC {vaddr:04X} is not coupled to a LAN (CP COUPLE)", 40)
        if config.address is None:
            raise NetworkError(
                f"No IP address for {config.userid}: no HOME in PROFILE TCPIP and no "
                f"{config.userid} in HOSTS LOCAL",
                36,
            )
        driver = NicDriver(cms.services, vaddr)
        driver.start()
        host = cls(cms, config, driver)
        host.stack.announce()  # gratuitous ARP: the LAN and CP learn who we are
        host.pump()
        return host

    # -- names ------------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """A dotted address, or a HOSTS LOCAL name (any case), as an address."""
        address = self.config.resolve(name.strip())
        if address is None:
            raise NetworkError(f"Unknown host '{name.strip()}'.", 1)
        return address

    def name_of(self, address: str) -> str | None:
        return self.config.name_of(address)

    # -- the work ----------------------------------------------------------------
    def pump(self) -> None:
        """Every frame waiting at the NIC into the stack, then the due timers."""
        for frame in self.driver.receive():
            self.stack.input(frame)
        self._poll()

    def _poll(self) -> None:
        delay = self.stack.poll()
        self.next_timer = None if delay is None else self.clock() + max(0.0, delay)

    def _sleep_time(self, deadline: float | None) -> float:
        now = self.clock()
        ends = [t for t in (deadline, self.next_timer) if t is not None]
        return max(TIMER_FLOOR, min(ends) - now) if ends else IDLE_WAIT

    def wait_until(self, predicate, timeout: float | None = None) -> bool:
        """Pump until ``predicate()`` is true (True) or ``timeout`` seconds
        passed (False); sleeps in the VM's time meanwhile.  HX raises Halt."""
        deadline = None if timeout is None else self.clock() + timeout
        while True:
            self.pump()
            if predicate():
                return True
            if deadline is not None and self.clock() >= deadline:
                return False
            self.services.wait_for(self.services.wait_io(self._sleep_time(deadline)))
            # The frames that woke us are the VM's work: its slices, and an
            # attention (HX) is taken as at every CMS safe point.
            self.cms.checkpoint()
            self.cms.take_attention()

    async def read_console(self, reading) -> str:
        """Wait for the console line ``reading`` (a coroutine) gives while the
        stack goes on working: frames are taken as they arrive and timers run
        when due, on this VM's processor."""
        read = asyncio.ensure_future(reading)
        try:
            while True:
                self._pump_quietly()
                if read.done():
                    return read.result()
                waker = asyncio.ensure_future(self.services.wait_io(self._sleep_time(None)))
                try:
                    await asyncio.wait({read, waker}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waker.cancel()
                if read.done():
                    return read.result()
                # The frames are the VM's work: they wait for its turn, and
                # for BEGIN while CP holds the VM stopped (PA1, CP READ).
                self.services.checkpoint()
        finally:
            if not read.done():
                read.cancel()

    def _pump_quietly(self) -> None:
        """pump() while CMS waits at the console: a fault of the stack must
        not take the user's CMS down with it (it is counted: NETSTAT ALL)."""
        try:
            self.pump()
        except Exception:
            self.faults += 1

    # -- sockets -----------------------------------------------------------------
    def socket(self, kind: str = "STREAM"):
        from cms.tcpip.sockets import NetSocket

        return NetSocket(self, self.stack.socket(kind.upper()))


__all__ = ["NetworkHost", "network_of", "start_if_configured", "SocketError"]
