"""FTP for CMS: the ``FTP`` client command and the FTPSERVE server (``SRVRFTP``).

RFC 959 over the guest's TCP/IP stack (cms.tcpip: ``network_of(cms)`` and
its blocking sockets, which have the subset of Python's socket API used
here), in the shape z/VM's TCP/IP gives them (TCP/IP for z/VM User's Guide,
"Transferring Files Using FTP"; the FTP server's replies):

* ``codec``   EBCDIC <-> ASCII (the code page of s390.ebcdic) and CMS
              records <-> the FTP data stream for TYPE A and TYPE I;
* ``control`` the control connection: lines, replies, host/port strings;
* ``client``  the line-mode client (prompts, subcommands, ``>>>`` echoes);
* ``server``  one FTP session of the server against a file store;
* ``cmsfiles`` the CMS side: local files of the client, and the server's
              store that logs users in with CP's directory password and
              links their minidisks (``CD ALICE.191``);
* ``commands`` the CMS commands FTP and SRVRFTP.

Nothing here blocks CP: the sockets wait in the VM's own time.
"""
