"""CP's gateway on a guest LAN: a router with its own TCP/IP stack.

A LAN may have one gateway (``DEFINE LAN name ... GATEWAY [address[/prefix]]``,
``SET LAN name GATEWAY ...``, ``VMLAN GATEWAY lanname [address]`` in
system.config).  It is an endpoint CP owns on the segment, with a MAC from
the LAN switch's allocator and a ``tcpip.Stack`` (10.0.0.1/24 unless told
otherwise) that runs in CP's event loop.  It does two things (docs/lan.md,
"Gateway"):

* NAT outbound: a guest's TCP connection or UDP datagram to the gateway's
  address, port P, is relayed to 127.0.0.1:P on the host (``router``,
  ``relay``, ``udp``);
* forwards inbound: a host port (``vm370 serve --forward
  [bindaddr:]HOSTPORT=USERID:PORT``, ``VMLAN FORWARD``) whose connections
  the router opens to USERID's guest stack on the LAN (``forward``).  The
  guest is found by what CP itself knows: the NIC USERID owns on the LAN
  and the IPv4 address that NIC last announced (ARP or IP source).

``spec`` parses addresses and forward specifications and imports no stack,
so the commands can use it cheaply.  Nothing here imports ``cp.lan``: the
LAN switch drives the gateway, never the other way round.
"""
