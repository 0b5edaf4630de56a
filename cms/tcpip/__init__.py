"""TCP/IP for CMS: each virtual machine's own stack over its NIC.

The API the CMS commands (PING, NETSTAT, IFCONFIG, FTP), the service
machines and REXX ``SOCKET()`` use::

    from cms.tcpip import network_of
    net = network_of(cms)          # NetworkHost; NetworkError (a CMSError) when
                                   # the VM has no NIC, it is not coupled, or no
                                   # address is configured
    net.stack                      # the tcpip.Stack
    net.config                     # cms.tcpip.config.NetConfig (address, mask, hosts)
    net.driver                     # cms.tcpip.driver.NicDriver (vaddr, mac)
    net.resolve(name) -> str       # dotted address or HOSTS LOCAL name
    net.pump()                     # frames in, timers run
    net.wait_until(pred, timeout)  # sleep in the VM's time until pred() (HX works)
    sock = net.socket("STREAM")    # cms.tcpip.sockets.NetSocket (blocking)

Modules: ``config`` (HOSTS LOCAL, TCPIP DATA, PROFILE TCPIP), ``driver``
(the LCS NIC driver), ``host`` (the per-VM host), ``sockets`` (blocking
sockets), ``rexx`` (the REXX SOCKET() function).  The protocol engine is
the ``tcpip`` package.  docs/tcpip.md is the user documentation.
"""

from cms.tcpip.config import NetConfig, NetworkError
from cms.tcpip.host import NetworkHost, network_of, start_if_configured

__all__ = ["NetConfig", "NetworkError", "NetworkHost", "network_of", "start_if_configured"]
